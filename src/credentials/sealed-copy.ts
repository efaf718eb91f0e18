import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// The ledger keeps a copy of each credential it issued so the student can download it again. The copy
// holds the salt of the recipient's email hash, so it is sealed (AES-256-GCM, Node's crypto) with the
// student's own key, the one that seals their personal details: an erasure destroys that key, and the
// copy becomes unreadable with everything else. The credential id is bound in as additional data, so a
// copy cannot be moved to another credential's row unnoticed.

export function sealCopy(key: Buffer, credentialId: string, jwt: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(credentialId));
  const ct = Buffer.concat([cipher.update(jwt, 'utf8'), cipher.final()]);
  return JSON.stringify({
    alg: 'A256GCM',
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ct: ct.toString('base64'),
  });
}

/** The credential, or null when the student key is gone (their personal data was erased). */
export function unsealCopy(key: Buffer | null, credentialId: string, sealed: string): string | null {
  if (!key) return null;
  const { iv, tag, ct } = JSON.parse(sealed) as { iv: string; tag: string; ct: string };
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAAD(Buffer.from(credentialId));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString('utf8');
}
