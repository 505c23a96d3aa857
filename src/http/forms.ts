import type { z } from 'zod';
import type { MessageKey, Translate } from './i18n.ts';

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

/** Field errors held as message keys, in the reader's language. */
export function translateErrors(t: Translate, errors: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.entries(errors).map(([field, key]) => [field, t(key as MessageKey)]));
}

/** The named fields exactly as typed, to put back into a form shown again with errors. */
export function formValues(body: unknown, names: readonly string[]): Record<string, string> {
  const raw = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(names.map((n) => [n, typeof raw[n] === 'string' ? raw[n] : '']));
}
