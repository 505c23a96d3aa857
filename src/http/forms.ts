import type { z } from 'zod';

export type FieldErrors = Record<string, string>;

/** Parses a form with zod; errors come back keyed by field, first message each, for the error summary. */
export function parseForm<T extends z.ZodType>(schema: T, body: unknown): { ok: true; data: z.infer<T> } | { ok: false; errors: FieldErrors } {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? '_form');
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}

/** A local path to go back to after sign-in; anything else (another host, `//x`) becomes the home page. */
export function safeNext(next: unknown, fallback = '/home'): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : fallback;
}
