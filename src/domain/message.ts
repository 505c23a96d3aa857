// What a user reads, said as a catalog key (src/i18n/messages) with the values its text names; the page or the
// command line translates it into the reader's language. Domain and features return these, never words.

export type MessageParams = Record<string, string | number>;

/** A catalog key, a key with its parameters, or several messages read as one line (joined by "; "). */
export type Message = string | { key: string; params: MessageParams } | readonly Message[];

/** Errors beside each form field (`_form` for the whole form), each a message. */
export type FieldErrors = Record<string, Message>;

export const msg = (key: string, params: MessageParams): Message => ({ key, params });

/** A message in words, given the catalog's lookup (the translator of the reader's language). */
export function spell(message: Message, lookup: (key: string, params?: MessageParams) => string): string {
  if (typeof message === 'string') return lookup(message);
  if (Array.isArray(message)) return message.map((m) => spell(m, lookup)).join('; ');
  const { key, params } = message as { key: string; params: MessageParams };
  return lookup(key, params);
}
