import type { z } from 'zod';
import { spell, type FieldErrors, type Message } from '../domain/message.ts';
import type { MessageKey, Translate } from '../i18n/catalog.ts';
import { paths } from './paths.ts';

export type { FieldErrors };

/** Parses a form with zod; errors come back keyed by field, first message each, for the error summary. */
export function parseForm<T extends z.ZodType>(
  schema: T,
  body: unknown,
): { ok: true; data: z.infer<T> } | { ok: false; errors: Record<string, string> } {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, data: result.data };
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? '_form');
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}

/** Control characters (C0, DEL, C1): browsers drop tabs and newlines from a URL, so `/\t/evil` reads as `//evil`. */
const controlCharacter = /[\u0000-\u001f\u007f-\u009f]/;
const sameOriginBase = 'https://portal.example';

/** Whether one spelling of a `next` is a path of this site: a single leading `/`, no `//`, no backslash, no control. */
function isPlainPath(path: string): boolean {
  return path.startsWith('/') && !path.includes('//') && !path.includes('\\') && !controlCharacter.test(path);
}

/**
 * The characters a Location header carries as they are: printable ASCII but the space and what RFC 3986 never allows.
 * Anything else (Vietnamese letters above all) goes as percent-encoded UTF-8; a `%` already there stays an escape.
 */
export function encodeLocation(location: string): string {
  return location.replace(/[^\x21-\x7e]|["<>\\^`{|}]/gu, (c) => (c.isWellFormed() ? encodeURIComponent(c) : ''));
}

/**
 * A local path to go back to (after sign-in, after choosing a language), encoded for the Location header; anything
 * else becomes `fallback`. Accepted only when the text and its percent-decoding are both plain paths of this site
 * (see isPlainPath): `//x`, `/\x`, `/%09/x`, `/%2F/x`, `https://x` and malformed escapes all fall back.
 */
export function safeNext(next: unknown, fallback = paths.home()): string {
  if (typeof next !== 'string' || next.length > 2048 || !next.isWellFormed() || !isPlainPath(next)) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(next);
  } catch {
    return fallback;
  }
  if (!isPlainPath(decoded)) return fallback;
  const location = encodeLocation(next);
  const resolved = new URL(location, sameOriginBase);
  return resolved.origin === sameOriginBase ? location : fallback;
}

/** A message (a key, with its parameters) in the reader's language. */
export function translateMessage(t: Translate, message: Message): string {
  return spell(message, (key, params) => t(key as MessageKey, params));
}

/** Field errors held as message keys, in the reader's language. */
export function translateErrors(t: Translate, errors: FieldErrors): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([field, message]) => [field, translateMessage(t, message)]));
}

/** Issues found in an uploaded spreadsheet (sheet, row, column, message), their messages in the reader's language. */
export function translateIssues<T extends { message: Message }>(
  t: Translate,
  issues: readonly T[],
): (T & { message: string })[] {
  return issues.map((issue) => ({ ...issue, message: translateMessage(t, issue.message) }));
}

/** The named fields exactly as typed, to put back into a form shown again with errors. */
export function formValues(body: unknown, names: readonly string[]): Record<string, string> {
  const raw = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(names.map((n) => [n, typeof raw[n] === 'string' ? raw[n] : '']));
}
