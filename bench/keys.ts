import { createCipheriv, createHash } from 'node:crypto';
import type { Sealed } from '../events/common.ts';
import type { PersonalDetails } from '../events/personal.ts';
import type { KeyStore } from '../src/privacy/keys.ts';

// Student keys for the synthetic data: derived from the student id, so the generator can seal personal
// details itself (as the application command would) and the ledger under test can still unseal them.
// Never for real data: a derived key cannot be destroyed.

const keyOf = (subjectId: string) => createHash('sha256').update(`nasenco-bench:${subjectId}`).digest();

export class BenchKeyStore implements KeyStore {
  private readonly destroyed = new Set<string>();
  keyFor(subjectId: string): Buffer {
    return keyOf(subjectId);
  }
  find(subjectId: string): Buffer | null {
    return this.destroyed.has(subjectId) ? null : keyOf(subjectId);
  }
  destroy(subjectId: string): boolean {
    this.destroyed.add(subjectId);
    return true;
  }
  close(): void {}
}

/**
 * Sealed in the ledger's format (src/privacy/seal.ts: AES-256-GCM, the student id as additional data) but
 * with an IV from the generator, so the synthetic log is the same each time. The ledger always draws a
 * fresh random IV; bench/tests/generate.test.ts checks that the ledger unseals what this seals.
 */
export function sealWith(studentId: string, details: PersonalDetails, iv: Buffer): Sealed {
  const cipher = createCipheriv('aes-256-gcm', keyOf(studentId), iv);
  cipher.setAAD(Buffer.from(studentId));
  const ct = Buffer.concat([cipher.update(JSON.stringify(details), 'utf8'), cipher.final()]);
  return {
    alg: 'A256GCM',
    keyId: studentId,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ct: ct.toString('base64'),
  };
}
