import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

// Signed checkpoints of the log, kept outside it. A checkpoint records how many events the log held,
// the position of the last one, and the digest of the whole log up to it (src/store/log-digest.ts),
// signed with the ledger's Ed25519 key (node:crypto), which lives with the student keys, not in the log.
// Each is written twice: as a file in LEDGER_CHECKPOINTS_DIR (meant for another volume, or a directory
// the log's writers cannot write) and as a row in the keys database. Anyone holding a copy (printed in
// exam-board minutes, say) can check it against the log with the public key it carries.
//
// Checkpoints only ever grow the anchored prefix: the start-up check and `verify` refuse a log that is
// shorter than a checkpoint, or whose first events no longer hash to its digest (src/store/anchor.ts).

export const CHECKPOINT_FORMAT = 'nasenco-ledger-checkpoint/1';

export const CheckpointRecord = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  /** The store that held the log when it was written (sqlite, eventstoredb). */
  store: z.string(),
  /** Events in the log up to and including the checkpoint. */
  count: z.number().int().min(0),
  /** The store position of the last of them. */
  position: z.string().regex(/^\d+$/),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  writtenAt: z.string(),
  /** Why it was written: start, regular, exam board <id> (<cohort>), shutdown, manual. */
  reason: z.string(),
  /** The first 16 hex digits of SHA-256 over the public key (SPKI, DER). */
  keyId: z.string(),
  /** The public key, SPKI DER in base64: enough to check the signature anywhere. */
  publicKey: z.string(),
  /** Ed25519 over the bytes of signedText(record). */
  signature: z.string(),
});
export type CheckpointRecord = z.infer<typeof CheckpointRecord>;

export interface Checkpoint extends CheckpointRecord {
  /** Where it was read: its file name, or "keys database" when only the second copy was left. */
  source: string;
}

/** The exact text signed: the fields in a fixed order, as a JSON array (no canonical form is needed). */
function signedText(c: Omit<CheckpointRecord, 'signature' | 'publicKey'>): Buffer {
  return Buffer.from(
    JSON.stringify([c.format, c.store, c.count, c.position, c.digest, c.writtenAt, c.reason, c.keyId]),
  );
}

/**
 * The key that signs checkpoints of the log, and a second copy of each checkpoint, kept with the student
 * keys: outside the log, so a writer of the log cannot forge or remove them (the key store implements it,
 * src/privacy/keys.ts).
 */
export interface CheckpointKeys {
  /** The ledger's Ed25519 key pair, created on first use. */
  signingKey(): SigningKey;
  keepCheckpoint(count: number, record: string): void;
  keptCheckpoints(): string[];
}

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export const keyIdOf = (spkiDer: Buffer) => createHash('sha256').update(spkiDer).digest('hex').slice(0, 16);

export interface CheckpointList {
  /** Every good checkpoint, ordered by count (then time). */
  checkpoints: Checkpoint[];
  /** A file that is not a checkpoint, or one not signed by this ledger's key: itself a sign of tampering. */
  problems: string[];
}

export class CheckpointBook {
  constructor(
    readonly dir: string,
    private readonly keys: CheckpointKeys,
    private readonly storeName: string,
  ) {}

  /** The ledger's public key (SPKI DER, base64) and its id. */
  publicKey(): { keyId: string; publicKey: string } {
    const der = this.keys.signingKey().publicKey.export({ format: 'der', type: 'spki' });
    return { keyId: keyIdOf(der), publicKey: der.toString('base64') };
  }

  /** Signs and keeps a checkpoint of the log as it stands: a file, and its copy in the keys database. */
  write(
    at: { count: number; position: bigint; digest: string },
    reason: string,
    now = new Date(),
  ): Checkpoint {
    const { privateKey } = this.keys.signingKey();
    const { keyId, publicKey } = this.publicKey();
    const unsigned = {
      format: CHECKPOINT_FORMAT,
      store: this.storeName,
      count: at.count,
      position: at.position.toString(),
      digest: at.digest,
      writtenAt: now.toISOString(),
      reason,
      keyId,
    } as const;
    const record: CheckpointRecord = {
      ...unsigned,
      publicKey,
      signature: sign(null, signedText(unsigned), privateKey).toString('base64'),
    };
    const text = `${JSON.stringify(record, null, 2)}\n`;
    const name = `checkpoint-${String(at.count).padStart(12, '0')}-${record.writtenAt.replace(/[:.]/g, '')}.json`;
    writeDurably(this.dir, name, text);
    this.keys.keepCheckpoint(at.count, text);
    return { ...record, source: name };
  }

  /** Every checkpoint in the directory and the keys database, each checked against the ledger's key. */
  list(): CheckpointList {
    const { keyId, publicKey } = this.publicKey();
    const key = this.keys.signingKey().publicKey;
    const found = new Map<string, Checkpoint>();
    const problems: string[] = [];
    const take = (text: string, source: string) => {
      const parsed = CheckpointRecord.safeParse(safeJson(text));
      if (!parsed.success) {
        problems.push(`${source} is not a checkpoint: ${parsed.error.issues[0]?.message ?? 'unreadable'}`);
        return;
      }
      const c = parsed.data;
      const signedByUs = c.keyId === keyId && c.publicKey === publicKey;
      if (!signedByUs || !verify(null, signedText(c), key, Buffer.from(c.signature, 'base64'))) {
        problems.push(
          `${source} is not signed by this ledger's checkpoint key ${keyId}${signedByUs ? '' : ` (it names key ${c.keyId}; was LEDGER_KEYS_DB replaced?)`}`,
        );
        return;
      }
      const id = `${c.count}\t${c.digest}\t${c.writtenAt}`;
      if (!found.has(id)) found.set(id, { ...c, source });
    };
    for (const name of this.files()) take(readFileSync(join(this.dir, name), 'utf8'), name);
    for (const text of this.keys.keptCheckpoints()) take(text, 'keys database');
    const checkpoints = [...found.values()].sort((a, b) =>
      a.count !== b.count ? a.count - b.count : a.writtenAt < b.writtenAt ? -1 : 1,
    );
    return { checkpoints, problems };
  }

  latest(): Checkpoint | null {
    const { checkpoints } = this.list();
    return checkpoints[checkpoints.length - 1] ?? null;
  }

  private files(): string[] {
    try {
      return readdirSync(this.dir)
        .filter((n) => n.startsWith('checkpoint-') && n.endsWith('.json'))
        .sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }
}

/**
 * A checkpoint kept somewhere else (a copy saved with an exam board's minutes), checked against the public
 * key it carries; `ledgerKeyId` says whether that is still the ledger's key (a replaced key is a finding).
 */
export function readCheckpointFile(
  path: string,
  ledgerKeyId: string,
): { checkpoint: Checkpoint | null; problem: string | null } {
  const parsed = CheckpointRecord.safeParse(safeJson(readFileSync(path, 'utf8')));
  if (!parsed.success) return { checkpoint: null, problem: `${path} is not a checkpoint` };
  const c = parsed.data;
  const key = createPublicKey({ key: Buffer.from(c.publicKey, 'base64'), format: 'der', type: 'spki' });
  if (
    keyIdOf(Buffer.from(c.publicKey, 'base64')) !== c.keyId ||
    !verify(null, signedText(c), key, Buffer.from(c.signature, 'base64'))
  )
    return { checkpoint: null, problem: `${path}: its signature does not verify with the key it names` };
  if (c.keyId !== ledgerKeyId)
    return {
      checkpoint: null,
      problem: `${path} was signed by key ${c.keyId}, but the ledger's checkpoint key is now ${ledgerKeyId}: LEDGER_KEYS_DB was replaced`,
    };
  return { checkpoint: { ...c, source: path }, problem: null };
}

/** Describes a checkpoint for a message: its file, size of the log then, when and why. */
export function describeCheckpoint(c: Checkpoint): string {
  return `checkpoint ${c.source} (${c.count} events up to position ${c.position}, written ${c.writtenAt}, ${c.reason})`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Written to a temporary name, fsynced, renamed, and the directory fsynced: whole or not at all. */
function writeDurably(dir: string, name: string, text: string): void {
  mkdirSync(dir, { recursive: true });
  const temporary = join(dir, `.${name}.${process.pid}.tmp`);
  const fd = openSync(temporary, 'wx');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, join(dir, name));
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}
