// Text as Vietnamese names need it.

/** Drops the diacritics and writes đ/Đ as d/D, keeping case: "Trực Đạo" → "Truc Dao". */
export function foldDiacritics(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

/**
 * An address-safe code from a Vietnamese name: diacritics dropped (đ → d), lower case, words joined by `-`:
 * "Xã Trực Hưng" → `xa-truc-hung`. `taken` are codes already in use: a name whose code is taken gets `-2`, `-3`…
 */
export function slugOf(name: string, taken: Iterable<string> = []): string {
  const base =
    foldDiacritics(name)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || 'don-vi';
  const used = new Set(taken);
  if (!used.has(base)) return base;
  let n = 2;
  while (used.has(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}

/**
 * A block's name as the sentences around it use it ("khối {name}"): a name the secretariat already wrote with the word
 * ("Khối Phường") loses it there, so that no page reads "khối Khối Phường". The stored name is never changed.
 */
export function blockName(name: string): string {
  return name.replace(/^\s*khối\s+/iu, '');
}
