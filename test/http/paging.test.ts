import { describe, expect, it } from 'vitest';
import { paging, type PageLink } from '../../src/http/paging.ts';

const shown = (links: PageLink[]) =>
  links.map((l) => ('gap' in l ? '…' : l.current ? `[${l.n}]` : String(l.n))).join(' ');
const href = (n: number) => `/list?page=${n}`;

describe('paging', () => {
  it('links the first, the last and two pages each side of the current one, with gaps between', () => {
    expect(shown(paging(178_200, 200, 450, href).links)).toBe('1 … 448 449 [450] 451 452 … 891');
    expect(shown(paging(178_200, 200, 1, href).links)).toBe('[1] 2 3 … 891');
    expect(shown(paging(178_200, 200, 4, href).links)).toBe('1 2 3 [4] 5 6 … 891');
    expect(shown(paging(620, 250, 3, href).links)).toBe('1 2 [3]');
  });

  it('brings an asked page within range and counts the rows it shows', () => {
    expect(paging(620, 250, 9, href)).toMatchObject({
      n: 3,
      pages: 3,
      from: 501,
      to: 620,
      total: 620,
      next: null,
      prev: '/list?page=2',
    });
    expect(paging(620, 250, 0, href)).toMatchObject({ n: 1, from: 1, to: 250, prev: null, next: '/list?page=2' });
    expect(paging(620, 250, Number.NaN, href)).toMatchObject({ n: 1 });
    expect(paging(0, 250, 5, href)).toMatchObject({ n: 1, pages: 1, from: 0, to: 0, prev: null, next: null });
  });
});
