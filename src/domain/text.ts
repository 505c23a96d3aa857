// Text as Vietnamese names need it.

/** Drops the diacritics and writes đ/Đ as d/D, keeping case: "Trực Đạo" → "Truc Dao". */
export function foldDiacritics(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}
