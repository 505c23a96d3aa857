/**
 * MikroORM's `execute` spreads an array parameter into a list, so arrays travel as PostgreSQL literals:
 * `where id = any(?::int[])` with `intArray(ids)`.
 */
export function intArray(ids: readonly number[]): string {
  if (!ids.every(Number.isSafeInteger)) throw new TypeError('intArray takes integers only');
  return `{${ids.join(',')}}`;
}
