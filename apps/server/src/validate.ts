import { z } from 'zod';
import { badRequest } from './errors.ts';

/** Parses HTTP input with a zod schema; a mismatch becomes a 400 naming the bad fields. */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw badRequest(`Invalid ${what}: ${z.prettifyError(result.error).replace(/\n/g, ' ')}`);
}
