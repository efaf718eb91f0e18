import type { z } from 'zod';

// The JSON boundary, for the API and the command line alike. Inside the ledger revisions and positions
// are bigint; here, in one place, they become decimal strings (and Maps and Sets become objects and
// arrays). Everything the API sends and everything the command line prints with --json goes through
// this replacer, and the API document says so of every bigint field (bigintAsDecimalString).

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

/** For the API document (a zod-to-JSON-Schema override): a bigint field is the decimal string it is sent as. */
export function bigintAsDecimalString(ctx: {
  zodSchema: { _zod: { def: { type: string } } };
  jsonSchema: Record<string, unknown>;
}): void {
  if (ctx.zodSchema._zod.def.type !== 'bigint') return;
  ctx.jsonSchema.type = 'string';
  ctx.jsonSchema.pattern = '^-?[0-9]+$';
  ctx.jsonSchema.description ??= 'a revision or position: an integer as a decimal string';
}

/**
 * Compile-time: a response schema describes a read model's type when each is assignable to the other, so
 * the schema neither strips a field the read model has nor promises one it lacks.
 */
export type Describes<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type Output<S extends z.ZodType> = z.output<S>;
