import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Sealed } from '../../events/common.ts';
import type { SealedDetails } from '../../events/personal.ts';
import type { CommandInput, DecidedApplication } from '../domain/commands.ts';
import type { KeyStore } from './keys.ts';

// AES-256-GCM with the student key. The key id is the student id, so the key is found from the
// event alone; the stream id is bound in as additional data, so sealed data cannot be moved between
// students unnoticed.

/** Seals with a fresh random IV (never reused with the same key: GCM's one requirement). */
export function seal(keys: KeyStore, studentId: string, details: SealedDetails): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.keyFor(studentId), iv);
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

/** The details, or null when the key was destroyed (the data is erased). */
export function unseal(keys: KeyStore, sealed: Sealed): SealedDetails | null {
  const key = keys.find(sealed.keyId);
  if (!key) return null;
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(sealed.keyId));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  const clear = Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]);
  return JSON.parse(clear.toString('utf8')) as SealedDetails;
}

/** An application as it is recorded: the personal details and the school's name and URN sealed together. */
export function sealApplication(
  keys: KeyStore,
  studentId: string,
  input: CommandInput<'submitApplication'>,
): DecidedApplication {
  const { personal, school, ...rest } = input;
  const { type, ...named } = school;
  return {
    ...rest,
    studentId,
    school: { type },
    personal: seal(keys, studentId, { ...personal, school: named }),
  };
}
