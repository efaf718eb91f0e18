// The one place where bigint becomes JSON, for the API and the command line alike: revisions and
// positions travel as decimal strings, and Maps and Sets as objects and arrays. Everything the API sends
// and everything the command line prints with --json goes through this replacer.

export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Set) return [...value];
  if (value instanceof Map) return Object.fromEntries(value);
  return value;
}

export function toJson(value: unknown): string {
  return JSON.stringify(value, jsonReplacer);
}

/** Parses a decimal string into a bigint revision or position, or returns null. */
export function parseBigint(value: string): bigint | null {
  return /^\d{1,19}$/.test(value) ? BigInt(value) : null;
}
