// What a user reads, said as a catalog key (src/i18n/messages) with the values its text names; the page or the
// command line translates it into the reader's language. Domain and features return these, never words.

/**
 * The values a message names. A number is written as the reader writes it (0,5 in Vietnamese, 0.5 in English); a
 * `{ say }` value is itself a message, read in the same language before it takes its place.
 */
export type MessageParams = Record<string, string | number | { say: Message }>;

/**
 * A catalog key, a key with its parameters, a message whose first letter is lowered (to follow a `where: `), or several
 * messages read as one line (joined by "; ").
 */
export type Message = string | { key: string; params: MessageParams } | { lower: Message } | readonly Message[];

/** Errors beside each form field (`_form` for the whole form), each a message. */
export type FieldErrors = Record<string, Message>;

export const msg = (key: string, params: MessageParams): Message => ({ key, params });

/** A message as the value of another message's parameter. */
export const say = (message: Message): { say: Message } => ({ say: message });

/** The message with its first letter lowered, as it reads after a `where: `. */
export const lowered = (message: Message): Message => ({ lower: message });

/** A message in words, given the catalog's lookup (the translator of the reader's language). */
export function spell(
  message: Message,
  lookup: (key: string, params?: Record<string, string | number>) => string,
): string {
  if (typeof message === 'string') return lookup(message);
  if (Array.isArray(message)) return message.map((m) => spell(m, lookup)).join('; ');
  if ('lower' in (message as object)) {
    const text = spell((message as { lower: Message }).lower, lookup);
    return text.charAt(0).toLocaleLowerCase('vi') + text.slice(1);
  }
  const { key, params } = message as { key: string; params: MessageParams };
  const plain: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params))
    plain[name] = typeof value === 'object' ? spell(value.say, lookup) : value;
  return lookup(key, plain);
}
