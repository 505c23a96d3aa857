// Reopening a submitted self-assessment (issue 23, item 6): when it may happen, while it lets the unit edit, and what
// "changed" means when the unit submits again. Pure: the feature (features/self-assessment/reopen.ts) reads and writes.
import { compare, dec } from './decimal.ts';
import type { CampaignState } from './workflow.ts';

/** The phases in which the secretariat may reopen a submitted self-assessment: never once approved or published. */
export const reopenablePhases: readonly CampaignState[] = ['self-assessment', 'appraisal', 'council-review'];

export const reopenable = (phase: string): boolean => (reopenablePhases as readonly string[]).includes(phase);

/**
 * Whether the unit may change its answers in this phase: in self-assessment as always; in a later phase (before
 * approval) only a self-assessment the secretariat reopened and the unit has not submitted again (`reopened`).
 */
export const editableIn = (phase: string, reopened: boolean): boolean =>
  phase === 'self-assessment' || (reopened && reopenable(phase));

/** One criterion's answer as the appraiser judged it: the snapshot taken at reopening, or the answer resubmitted. */
export interface Answer {
  /** The self score as stored (numeric text, e.g. '1.500'), null when none. */
  selfScore: string | null;
  declaredLevel: string | null;
  declaredAchieved: number | null;
  declaredTotal: number | null;
  notApplicable: boolean;
  explanation: string;
  /** The SHA-256 of each evidence file attached to the criterion and not removed, in any order (a multiset). */
  evidence: readonly string[];
}

export type AnswerPart = 'score' | 'notApplicable' | 'explanation' | 'evidence';

const sameScore = (a: string | null, b: string | null) =>
  a === null || b === null ? a === b : compare(dec(a), dec(b)) === 0;

/**
 * What the unit changed in one criterion between the reopening and its new submission; empty when nothing:
 * - score: the self score differs as a number (1,5 and 1,50 are the same), or its declaration (the level chosen, the
 *   achieved and total counts) differs, since the appraiser accepts the declaration with the score;
 * - notApplicable: declared not applicable, or no longer;
 * - explanation: the text differs in any character once both are trimmed and in Unicode NFC, as the save stores it (an
 *   answer imported untrimmed and saved again unchanged is no change);
 * - evidence: the files' contents differ as a multiset of SHA-256: a file added or removed, or replaced by other bytes;
 *   a file removed and the same bytes uploaded again is no change, nor is a new name or new document details.
 */
export function answerChanges(before: Answer, after: Answer): AnswerPart[] {
  const parts: AnswerPart[] = [];
  if (
    !sameScore(before.selfScore, after.selfScore) ||
    before.declaredLevel !== after.declaredLevel ||
    before.declaredAchieved !== after.declaredAchieved ||
    before.declaredTotal !== after.declaredTotal
  )
    parts.push('score');
  if (before.notApplicable !== after.notApplicable) parts.push('notApplicable');
  const text = (explanation: string) => explanation.trim().normalize('NFC');
  if (text(before.explanation) !== text(after.explanation)) parts.push('explanation');
  const sorted = (files: readonly string[]) => [...files].sort().join(',');
  if (sorted(before.evidence) !== sorted(after.evidence)) parts.push('evidence');
  return parts;
}
