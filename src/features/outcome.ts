import type { FieldErrors } from '../domain/message.ts';

export type { FieldErrors, Message } from '../domain/message.ts';

/**
 * What a use case returns: its value, or why not. Input at fault is kind 'invalid', with the errors to show beside
 * each field as message keys (`_form` for the whole form); `Kind` lists the other refusals a use case can give (the
 * caller picks a status and words for each), which may carry a message too.
 */
export type Outcome<T, Kind extends string = never> =
  | { ok: true; value: T }
  | { ok: false; kind: 'invalid'; errors: FieldErrors }
  | ([Kind] extends [never] ? never : { ok: false; kind: Kind; errors?: FieldErrors });

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const invalid = (errors: FieldErrors): { ok: false; kind: 'invalid'; errors: FieldErrors } => ({ ok: false, kind: 'invalid', errors });
/** A refusal of one of a use case's kinds, with its message for the whole form when it has one. */
export const refused = <K extends string>(kind: K, errors?: FieldErrors): { ok: false; kind: K; errors?: FieldErrors } =>
  (errors ? { ok: false, kind, errors } : { ok: false, kind });
