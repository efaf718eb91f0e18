import type grpc from '@grpc/grpc-js';
import { errors, type ServiceError } from './messages.ts';

// PROTOCOL TEST DOUBLE -- NOT EventStoreDB.
//
// Authorization as a secure EventStoreDB node does it for the calls the ledger makes. Users log in with
// HTTP basic credentials (the client sends them only over TLS); a call with wrong credentials is refused
// as UNAUTHENTICATED before it starts, an anonymous one is treated as a user in no group (anonymous
// access is off by default since 23.10). Members of `$admins` may do anything. Otherwise:
// - reading $all needs the user in the `$r` of `$$$all`'s `$acl` (by default only `$admins`);
// - reading or writing a user stream needs the user in `$r` / `$w` of the stream's own `$acl`, or else
//   of `$userStreamAcl` in `$settings` (by default every user: `$all`);
// - deleting a stream, writing a metastream or touching a system stream is left to `$admins`.
// A refusal is AccessDenied (PERMISSION_DENIED with `exception: access-denied`, or, for one append of a
// BatchAppend, a google.rpc.Status packing event_store.client.AccessDenied).
// Not modelled: the other ACL verbs ($d, $mr, $mw for non-admins), groups other than $admins,
// certificate (user-cert) logins, the HTTP API.

export interface DoubleUser {
  password: string;
  groups?: string[];
}

/** An ACL entry's roles: user names, group names, or `$all` for every authenticated user. */
export type Roles = string[];

export interface AccessControl {
  users: Record<string, DoubleUser>;
  /** `$acl.$r` of `$$$all`: who besides `$admins` may read $all. */
  readAll: Roles;
  /** `$userStreamAcl` in `$settings`: the default for streams without an `$acl` of their own. */
  userStreams: { read: Roles; write: Roles };
  /** Streams with an `$acl` of their own (exact names). */
  streams?: Record<string, { read?: Roles; write?: Roles }>;
}

export type Operation =
  | { kind: 'read'; stream: string }
  | { kind: 'write'; stream: string }
  | { kind: 'delete'; stream: string };

export interface Principal {
  name: string | null;
  groups: string[];
}

/** Who is calling: a principal, or the refusal of a call whose credentials are wrong. */
export function authenticate(access: AccessControl, metadata: grpc.Metadata): Principal | ServiceError {
  const header = metadata.get('authorization')[0];
  if (header === undefined) return { name: null, groups: [] };
  const match = /^Basic (.+)$/.exec(String(header));
  if (!match) return errors.unauthenticated();
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const name = decoded.slice(0, colon);
  const user = access.users[name];
  if (colon < 0 || !user || user.password !== decoded.slice(colon + 1)) return errors.unauthenticated();
  return { name, groups: user.groups ?? [] };
}

export function allowed(access: AccessControl, who: Principal, operation: Operation): boolean {
  if (who.groups.includes('$admins')) return true;
  const { stream } = operation;
  if (operation.kind === 'read' && stream === '$all') return matches(access.readAll, who);
  if (operation.kind === 'delete' || stream.startsWith('$')) return false;
  const own = access.streams?.[stream];
  if (operation.kind === 'read') return matches(own?.read ?? access.userStreams.read, who);
  return matches(own?.write ?? access.userStreams.write, who);
}

function matches(roles: Roles, who: Principal): boolean {
  if (who.name === null) return false;
  return roles.some((role) => role === '$all' || role === who.name || who.groups.includes(role));
}

/** The refusal for a whole call, or null when the caller may go ahead. */
export function checkCall(
  access: AccessControl | null,
  metadata: grpc.Metadata,
  operation: Operation | null,
): ServiceError | null {
  if (!access) return null;
  const who = authenticate(access, metadata);
  if ('code' in who) return who;
  if (operation && !allowed(access, who, operation)) return errors.accessDenied();
  return null;
}
