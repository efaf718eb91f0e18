import { gunzipSync, gzipSync } from 'node:zlib';
import { type StatusListCredential, VC_CONTEXT } from './schema.ts';

// The Bitstring Status List (W3C Recommendation, 2025): one bit per issued credential, set when its award
// is withdrawn. The list is GZIP-compressed and written as multibase base64url ('u' prefix, no padding).
// Bit 0 is the most significant bit of the first byte (the specification's "leftmost" bit).

/** The specification's minimum: 16 KiB of bits, so one credential's bit hides among 131,072. */
export const LIST_SIZE_BITS = 131_072;

export function encodeList(revoked: Iterable<number>, sizeBits = LIST_SIZE_BITS): string {
  const bytes = Buffer.alloc(sizeBits / 8);
  for (const index of revoked) {
    if (!Number.isInteger(index) || index < 0 || index >= sizeBits)
      throw new RangeError(`status list index ${index} is outside 0..${sizeBits - 1}`);
    bytes[index >> 3]! |= 0x80 >> (index & 7);
  }
  return `u${gzipSync(bytes).toString('base64url')}`;
}

/** The uncompressed bitstring; throws with a reason a verifier can report. */
export function decodeList(encodedList: string): Buffer {
  if (!encodedList.startsWith('u'))
    throw new Error('the encoded list is not multibase base64url (no "u" prefix)');
  let bytes: Buffer;
  try {
    bytes = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'), { maxOutputLength: 16 * 1024 * 1024 });
  } catch {
    throw new Error('the encoded list is not a GZIP-compressed bitstring');
  }
  // The specification's STATUS_LIST_LENGTH_ERROR: a list shorter than the minimum is refused.
  if (bytes.length * 8 < LIST_SIZE_BITS)
    throw new Error(
      `the status list holds ${bytes.length * 8} bits, fewer than the minimum ${LIST_SIZE_BITS}`,
    );
  return bytes;
}

export function bitAt(bits: Buffer, index: number): boolean {
  if (index >= bits.length * 8) throw new RangeError(`status list index ${index} is beyond the list`);
  return (bits[index >> 3]! & (0x80 >> (index & 7))) !== 0;
}

export function statusListUrl(issuerBase: string, list: number): string {
  return `${issuerBase}/credentials/status/${list}`;
}

/** The unsigned status list credential for one list. */
export function statusListCredential(args: {
  issuerId: string;
  url: string;
  revoked: Iterable<number>;
  validFrom: string;
}): StatusListCredential {
  return {
    '@context': [VC_CONTEXT],
    id: args.url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: args.issuerId,
    validFrom: args.validFrom,
    credentialSubject: {
      id: `${args.url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: 'revocation',
      encodedList: encodeList(args.revoked),
      // provider default: verifiers may cache the list for five minutes
      ttl: 300_000,
    },
  };
}
