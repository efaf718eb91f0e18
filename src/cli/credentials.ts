import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { JSONWebKeySet } from 'jose';
import { loadConfig } from '../config.ts';
import { IssuerStore } from '../credentials/issuer-store.ts';
import { verifyCredential } from '../credentials/verify.ts';

// The command line for verifiable awards:
// - verify-credential: what a school or an employer runs, offline, with the issuer's published keys (a
//   JWK set file or URL) and, to check revocation, its status list (file or URL). Needs no ledger.
// - issuer-key: list the issuer's keys, rotate to a new one, or print the public JWK set to publish.

export const CREDENTIAL_HELP = `  verify-credential --credential <file> --keys <jwks.json|URL> [--status <status.jwt|URL>] [--json]
                                         verify a credential offline: exit 0 valid, 1 otherwise
  issuer-key list | rotate | jwks        the issuer's signing keys (LEDGER_ISSUER_DB); rotate makes a new
                                         key current, old ones keep verifying what they signed`;

export function isCredentialCommand(command: string | undefined): boolean {
  return command === 'verify-credential' || command === 'issuer-key';
}

export async function credentialCli(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      credential: { type: 'string' },
      keys: { type: 'string' },
      status: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const [command, sub] = positionals;
  if (command === 'issuer-key') return issuerKey(sub);
  if (!values.credential || !values.keys) {
    console.error(`verify-credential needs --credential and --keys\n\n${CREDENTIAL_HELP}`);
    return 2;
  }
  const jwt = credentialText(await readSource(values.credential));
  const jwks = JSON.parse(await readSource(values.keys)) as JSONWebKeySet;
  if (!Array.isArray(jwks.keys)) throw new Error(`${values.keys} is not a JWK set (no "keys" array)`);
  const statusSource = values.status;
  const result = await verifyCredential(jwt, {
    jwks,
    now: new Date(),
    ...(statusSource ? { statusList: async () => (await readSource(statusSource)).trim() } : {}),
  });
  if (values.json) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(
      `${result.verdict.toUpperCase()}${result.credential ? `: ${result.credential.name}, ${result.credential.id}` : ''}`,
    );
    for (const reason of result.reasons) console.log(`  - ${reason}`);
  }
  return result.verdict === 'valid' ? 0 : 1;
}

/** A file's text, or a URL's body (the issuer's published keys, its status list). */
async function readSource(source: string): Promise<string> {
  if (!/^https?:\/\//.test(source)) return readFileSync(source, 'utf8');
  const response = await fetch(source);
  if (!response.ok) throw new Error(`${source} answered ${response.status}`);
  return response.text();
}

/** The compact JWS, from a .jwt file or from the JSON the API gives ({ "jwt": ... }). */
function credentialText(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return trimmed;
  const json = JSON.parse(trimmed) as { jwt?: unknown };
  if (typeof json.jwt !== 'string') throw new Error('the credential file is JSON without a "jwt" field');
  return json.jwt;
}

async function issuerKey(sub: string | undefined): Promise<number> {
  const store = new IssuerStore(loadConfig().LEDGER_ISSUER_DB);
  try {
    if (sub === 'rotate') {
      const key = await store.rotate(new Date());
      console.log(`new current key ${key.kid}; ${store.keys().length - 1} older key(s) stay published`);
      return 0;
    }
    if (sub === 'jwks') {
      await store.currentKey(new Date());
      console.log(JSON.stringify({ keys: store.keys().map((k) => k.publicJwk) }, null, 2));
      return 0;
    }
    if (sub === 'list') {
      for (const k of store.keys())
        console.log(
          `${k.kid}\tcreated ${k.createdAt}\t${k.retiredAt ? `retired ${k.retiredAt}` : 'current'}`,
        );
      return 0;
    }
    console.error(`issuer-key list | rotate | jwks\n\n${CREDENTIAL_HELP}`);
    return 2;
  } finally {
    store.close();
  }
}
