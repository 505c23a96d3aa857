import type { FastifyRequest } from 'fastify';

/*
 * What a request may not carry, and what the log may not keep of it. NUL above all: PostgreSQL refuses it in text, so
 * a NUL that reaches a query is a 500. The other C0 controls have no business in a form, a path or a header either;
 * tab, line feed and carriage return stay allowed (a textarea sends them; a `next` holding one is refused by safeNext).
 */

/** C0 control characters but tab, LF and CR. */
export const disallowedCharacter = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;
/** The same characters percent-encoded: UTF-8 never uses a byte below 0x20 inside a longer character. */
const disallowedEscape = /%(?:0[0-8bcef]|1[0-9a-f])/i;

/** True when a value (a string, or any string inside an array or object, names included) holds a disallowed character. */
export function holdsDisallowed(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return disallowedCharacter.test(value);
  if (depth > 8 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => holdsDisallowed(v, depth + 1));
  return Object.entries(value).some(([k, v]) => disallowedCharacter.test(k) || holdsDisallowed(v, depth + 1));
}

/**
 * A form's text with vertical tabs and form feeds as line breaks: Word puts them in text copied from it (a manual line
 * break, a page break), and they are refused nowhere else. Strings inside arrays and objects too; other values as they are.
 */
export function softenBreaks(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return /[\v\f]/.test(value) ? value.replace(/[\v\f]/g, '\n') : value;
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => softenBreaks(v, depth + 1));
  for (const [k, v] of Object.entries(value)) (value as Record<string, unknown>)[k] = softenBreaks(v, depth + 1);
  return value;
}

/** True when the address (path and query, as sent), or a header, holds a disallowed character, literal or escaped. */
export function requestHoldsDisallowed(req: FastifyRequest): boolean {
  if (disallowedCharacter.test(req.url) || disallowedEscape.test(req.url)) return true;
  return Object.values(req.headers).some((v) => holdsDisallowed(v));
}

/** The error a refused request raises: the error handler shows the usual page with status 400. */
export function disallowedCharactersError(): Error & { statusCode: number; code: string } {
  return Object.assign(new Error('The request holds a control character (NUL or another C0 control)'), {
    statusCode: 400,
    code: 'CCHC_DISALLOWED_CHARACTER',
  });
}

/**
 * A database error caused by what was sent rather than by the server: SQLSTATE class 22 (data exception: invalid text
 * representation, character not in repertoire, out of range…) or 08P01 (a NUL inside a parameter). A 400, not a 500.
 */
export function isInvalidInputError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  return typeof severity === 'string' && typeof code === 'string' && (/^22[0-9A-Z]{3}$/.test(code) || code === '08P01');
}

/** Query parameters whose values are never written to the log (tokens, passwords, where to go next…). */
const sensitiveParameter = /csrf|token|pass|secret|next|key|sig|auth|code|session/i;
/** A path segment that looks like a token (long, random: mixed case, or hexadecimal) rather than a name. */
const tokenLike = (segment: string) =>
  segment.length >= 32 && /^[A-Za-z0-9_-]+$/.test(segment) && (/[A-Z]/.test(segment) || /^[0-9a-f]+$/.test(segment));

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/**
 * An address as the log keeps it: sensitive query values and token-like path segments replaced by `[redacted]`,
 * the rest as sent, so that a log line shows which page was asked for without carrying a secret.
 */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  const path = (at < 0 ? url : url.slice(0, at))
    .split('/')
    .map((s) => (tokenLike(s) ? '[redacted]' : s))
    .join('/');
  if (at < 0) return path;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return sensitiveParameter.test(decodedName(name)) ? `${name}=[redacted]` : pair;
    });
  return `${path}?${query.join('&')}`;
}

/** Fastify's request serializer for the log, with the address redacted. */
export function requestForLog(req: FastifyRequest): Record<string, unknown> {
  return {
    method: req.method,
    url: redactUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}
