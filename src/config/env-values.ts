import { z } from 'zod';

/**
 * How an environment variable's text becomes a value: the building blocks of the configuration
 * schema (src/config/schema.ts) and of every channel's variables (adapters/<name>/definition.ts).
 */

export const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

export const positiveInt = z.coerce.number().int().positive();

/** An empty value counts as unset, as `.env` files write an unset variable `NAME=`. */
export const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

export const optionalUrl = optionalString.pipe(z.url().optional());

/** The addresses only this machine can reach: what an unauthenticated endpoint may listen on. */
export function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost';
}

/** A failed parse as lines naming each variable: `HTTP_PORT: Invalid input: ...`. */
export function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}
