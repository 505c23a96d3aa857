// Opening a unit's self-assessment: the one writer of a self_assessment row and its criterion_score rows.
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  CriterionScoreSchema,
  SelfAssessmentSchema,
  type Campaign,
  type Criterion,
  type CriterionScore,
  type SelfAssessment,
  type Unit,
} from '../../db/entities/index.ts';
import { parentCode } from '../../domain/scoring.ts';

/** One criterion_score row to open: its leaf and, for a past year or an import, the answer already given. */
export interface OpeningScore {
  criterion: Criterion | number;
  selfScore?: string | null;
  notApplicable?: boolean;
  explanation?: string;
}

/** The leaves a unit scores or an agency appraises for it: criteria without children, survey-kind leaves excluded. */
export function scoredLeaves<C extends { code: string; kind: string }>(criteria: readonly C[]): C[] {
  const parents = new Set(criteria.map((c) => parentCode(c.code)));
  return criteria.filter((c) => !parents.has(c.code) && c.kind !== 'survey');
}

/**
 * A unit's self-assessment in a campaign with one criterion_score row per given leaf, in the unit of work (the caller
 * flushes): empty rows when a campaign opens its self-assessment phase or the demo is seeded; answered rows, already
 * submitted, for an imported workbook or the demo's past year. Returns the rows in the order given.
 */
export function openSelfAssessment(
  em: EntityManager,
  campaign: Campaign | number,
  unit: Unit | number,
  scores: readonly OpeningScore[],
  submission: { submittedAt: Date } | null = null,
): { selfAssessment: SelfAssessment; scores: CriterionScore[] } {
  const selfAssessment = em.create(SelfAssessmentSchema, {
    campaign,
    unit,
    ...(submission ? { state: 'submitted' as const, submittedAt: submission.submittedAt } : {}),
  });
  return {
    selfAssessment,
    scores: scores.map((s) =>
      em.create(CriterionScoreSchema, {
        selfAssessment,
        criterion: s.criterion,
        ...(s.selfScore !== undefined ? { selfScore: s.selfScore } : {}),
        ...(s.notApplicable !== undefined ? { notApplicable: s.notApplicable } : {}),
        ...(s.explanation !== undefined ? { explanation: s.explanation } : {}),
      }),
    ),
  };
}
