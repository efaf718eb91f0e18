import type { z } from 'zod';
import type { Role } from '../../../events/envelope.ts';

/** A command a student's record accepts: who may send it, a line for the API's documentation, its input. */
export type CommandDefinition = { roles: readonly Role[]; summary: string; schema: z.ZodObject };
