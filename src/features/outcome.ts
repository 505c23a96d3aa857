/** Errors to show beside each field, keyed by field name (`_form` for the form as a whole). */
export type FieldErrors = Record<string, string>;

/** What a use case returns: its value, or the errors to show beside each field (messages are i18n keys or text). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const invalid = (errors: FieldErrors): Outcome<never> => ({ ok: false, errors });
