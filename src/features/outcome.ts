import type { FieldErrors } from '../domain/message.ts';

export type { FieldErrors, Message } from '../domain/message.ts';

/** What a refusal of some kinds carries besides its kind: `{ conflict: { theirs: Row } }`. */
type Details<Kind extends string> = { [K in Kind]?: object };

/**
 * A refusal: input at fault ('invalid') comes with its errors; any other kind may carry a message in `_form`, and the
 * details its use case declares for it.
 */
type Refusal<Kind extends string, Extra extends Details<Kind>> = Kind extends 'invalid'
  ? { ok: false; kind: 'invalid'; errors: FieldErrors }
  : { ok: false; kind: Kind; errors?: FieldErrors } & (Kind extends keyof Extra ? NonNullable<Extra[Kind]> : unknown);

/**
 * What a use case returns: its value, or why not. `Kind` lists the refusals it can give (the caller picks a status and
 * words for each); 'invalid' carries the errors to show beside each field as message keys (`_form` for the form).
 * `Extra` names what a kind of refusal carries for the page (the other person's save on a conflict, what is missing).
 */
export type Outcome<T, Kind extends string = 'invalid', Extra extends Details<Kind> = Record<never, never>> =
  | { ok: true; value: T }
  | Refusal<Kind, Extra>;

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const invalid = (errors: FieldErrors): { ok: false; kind: 'invalid'; errors: FieldErrors } => ({
  ok: false,
  kind: 'invalid',
  errors,
});
/** A refusal of one of a use case's kinds, with its message for the whole form when it has one. */
export const refused = <K extends string>(
  kind: K,
  errors?: FieldErrors,
): { ok: false; kind: K; errors?: FieldErrors } => (errors ? { ok: false, kind, errors } : { ok: false, kind });
