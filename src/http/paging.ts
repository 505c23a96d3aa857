/** One link of a pager: a page number with its address, the current page (no link), or a gap (…). */
export type PageLink = { n: number; href: string; current: boolean } | { gap: true };

export interface Paging {
  n: number;
  pages: number;
  /** Rows shown, 1-based, and how many there are in all. */
  from: number;
  to: number;
  total: number;
  prev: string | null;
  next: string | null;
  links: PageLink[];
}

/**
 * Which page of `total` rows to show (`asked`, brought within range) and the links to the others: the first, the
 * last, and two on each side of the current one, so that a list of 900 pages needs eleven links at most.
 */
export function paging(total: number, size: number, asked: number, href: (n: number) => string): Paging {
  const pages = Math.max(1, Math.ceil(total / size));
  const n = Math.min(Math.max(1, Math.trunc(asked) || 1), pages);
  const shown = [...new Set([1, n - 2, n - 1, n, n + 1, n + 2, pages])]
    .filter((p) => p >= 1 && p <= pages)
    .sort((a, b) => a - b);
  const links: PageLink[] = [];
  for (const p of shown) {
    const last = links.at(-1);
    if (last && 'n' in last && p > last.n + 1) links.push({ gap: true });
    links.push({ n: p, href: href(p), current: p === n });
  }
  return {
    n,
    pages,
    from: total === 0 ? 0 : (n - 1) * size + 1,
    to: Math.min(n * size, total),
    total,
    prev: n > 1 ? href(n - 1) : null,
    next: n < pages ? href(n + 1) : null,
    links,
  };
}
