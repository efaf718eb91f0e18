import { createHash } from 'node:crypto';
import type { Sealed } from '../../events/common.ts';
import type { PersonalDetails } from '../../events/personal.ts';
import type { KeyStore } from '../privacy/keys.ts';
import { seal } from '../privacy/seal.ts';

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

const benchKeys = new BenchKeyStore();

/** Sealed as the application command seals, with a given IV so the synthetic log is deterministic. */
export function sealWith(studentId: string, details: PersonalDetails, iv: Buffer): Sealed {
  return seal(benchKeys, studentId, details, iv);
}
