// "Not submitted is a state, not a score": in a campaign run on the portal, a unit that never submitted its
// self-assessment has no result to rank. It is listed apart, after the ranked units, by name; the others are ranked
// among themselves (docs/open-data.md, "Units that did not submit").
import { rankIndexes } from './scoring.ts';
import type { Dec } from './decimal.ts';

/** The state a publication records for such a unit (results.json's `status`, published_result.status). */
export const notSubmittedStatus = 'not-submitted';

const names = new Intl.Collator('vi');

/** The units ranked again without those that did not submit (1, 2, 2, 4 among the rest), and those apart, by name. */
export function rankSubmitted<T extends { code: string; name: string; index: Dec; rank: number }>(
  results: readonly T[],
  notSubmitted: ReadonlySet<string>,
): { ranked: T[]; apart: T[] } {
  if (notSubmitted.size === 0) return { ranked: [...results], apart: [] };
  const ranked = rankIndexes(results.filter((r) => !notSubmitted.has(r.code)));
  const apart = results
    .filter((r) => notSubmitted.has(r.code))
    .sort((a, b) => names.compare(a.name, b.name) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return { ranked, apart };
}
