import type { EntityManager } from '@mikro-orm/postgresql';
import { dec, format, ZERO } from '../../domain/decimal.ts';
import { compareCriterionCodes, parentCode, subtreeSums } from '../../domain/scoring.ts';
import type { UnitContext } from './unit-access.ts';
import { holdsCriterion } from './hands.ts';
import type { StoredScore } from './save.ts';

/** One node of the unit's criteria tree with, on leaves, the unit's answer. */
export interface Node {
  criterionId: number;
  code: string;
  title: string;
  guidance: string;
  kind: 'self' | 'survey' | 'appraiser';
  minScore: string;
  maxScore: string;
  scoring: string | null;
  evidenceRequired: boolean;
  depth: number;
  field: string;
  leaf: boolean;
  /** Set by the secretariat: the criterion does not apply to this unit. */
  exempt: boolean;
  score:
    | null
    | (StoredScore & {
        /** Who works on it (people and bodies), as names joined; null when nobody is assigned. */
        assignees: string | null;
        evidenceCount: number;
      });
}

export type Missing = 'score' | 'explanation' | 'evidence';

/** What a leaf still lacks before submission; empty when done (or when it does not apply). */
export function missingOf(n: Node): Missing[] {
  if (!n.leaf || !n.score || n.exempt || n.kind !== 'self') return [];
  if (n.score.notApplicable) return n.score.explanation.trim() ? [] : ['explanation'];
  const missing: Missing[] = [];
  if (n.score.selfScore === null) missing.push('score');
  if (!n.score.explanation.trim()) missing.push('explanation');
  if (n.evidenceRequired && n.score.evidenceCount === 0) missing.push('evidence');
  return missing;
}

/** A criterion's own columns (`c.code, c.title, c.guidance, c.kind, c.min_score, …`) as the pages use them. */
export function criterionColumns(r: Record<string, unknown>) {
  return {
    code: r.code as string,
    title: r.title as string,
    guidance: r.guidance as string,
    kind: r.kind as Node['kind'],
    minScore: r.min_score as string,
    maxScore: r.max_score as string,
    scoring: r.scoring as string | null,
    evidenceRequired: r.evidence_required as boolean,
  };
}

/**
 * The whole tree with this unit's answers in one query, whatever the number of criteria.
 * A contributor gets only the leaves they hold (assigned to them or to a body they act for), with their parents.
 */
export async function loadTree(em: EntityManager, ctx: UnitContext): Promise<Node[]> {
  const rows = await em.execute<Record<string, any>[]>(
    `select c.id, c.code, c.title, c.guidance, c.kind, c.min_score, c.max_score, c.scoring, c.evidence_required,
            exists (select 1 from criterion k where k.parent_id = c.id) as has_children,
            exists (select 1 from exemption e join criterion ec on ec.id = e.criterion_id
                     where e.campaign_id = ? and e.unit_id = ? and (c.code = ec.code or c.code like ec.code || '.%')
                       and ec.criteria_set_id = c.criteria_set_id) as exempt,
            cs.id as score_id, cs.self_score, cs.declared_level, cs.declared_achieved, cs.declared_total, cs.not_applicable,
            cs.explanation, cs.version, cs.updated_at, ub.full_name as updated_by,
            (select string_agg(coalesce(au.full_name, b.name), ', ' order by ca.body_id is not null, coalesce(au.full_name, b.name) collate "vi-x-icu")
               from criterion_assignment ca left join app_user au on au.id = ca.user_id left join unit_body b on b.id = ca.body_id
              where ca.criterion_score_id = cs.id) as assignees,
            cs.id is not null and ${holdsCriterion('cs.id', '?')} as mine,
            (select count(*)::int from evidence_file ef where ef.criterion_score_id = cs.id and ef.removed_at is null) as evidence_count
       from criterion c
       left join criterion_score cs on cs.criterion_id = c.id and cs.self_assessment_id = ?
       left join app_user ub on ub.id = cs.updated_by_id
      where c.criteria_set_id = ?`,
    [ctx.campaign.id, ctx.unit.id, ctx.userId, ctx.selfAssessment.id, ctx.campaign.criteriaSetId],
  );
  const held = new Set(rows.filter((r) => r.mine).map((r) => r.code as string));
  let nodes: Node[] = rows.map((r) => ({
    criterionId: r.id,
    ...criterionColumns(r),
    depth: r.code.split('.').length - 1,
    field: r.code.split('.')[0],
    leaf: !r.has_children,
    exempt: r.exempt,
    score:
      r.score_id === null
        ? null
        : {
            id: r.score_id,
            selfScore: r.self_score,
            declaredLevel: r.declared_level,
            declaredAchieved: r.declared_achieved,
            declaredTotal: r.declared_total,
            notApplicable: r.not_applicable,
            explanation: r.explanation,
            version: r.version,
            updatedAt: r.updated_at,
            updatedBy: r.updated_by,
            assignees: r.assignees,
            evidenceCount: r.evidence_count,
          },
  }));
  nodes.sort((a, b) => compareCriterionCodes(a.code, b.code));
  if (ctx.role === 'contributor') {
    const mine = new Set(nodes.filter((n) => n.leaf && n.score && held.has(n.code)).map((n) => n.code));
    const ancestors = new Set<string>();
    for (const code of mine) for (let p = parentCode(code); p; p = parentCode(p)) ancestors.add(p);
    nodes = nodes.filter((n) => mine.has(n.code) || ancestors.has(n.code));
  }
  return nodes;
}

export interface FieldProgress {
  code: string;
  title: string;
  max: string;
  leaves: number;
  done: number;
  missing: Record<Missing, number>;
  selfTotal: string;
}

/** Per field: how many leaves are done and what is missing, for the task list. */
export function progress(nodes: readonly Node[]): FieldProgress[] {
  const fields = nodes.filter((n) => n.depth === 0);
  return fields.map((f) => {
    const leaves = nodes.filter((n) => n.field === f.code && n.leaf && n.score && n.kind === 'self');
    const missing: Record<Missing, number> = { score: 0, explanation: 0, evidence: 0 };
    let done = 0;
    for (const leaf of leaves) {
      const m = missingOf(leaf);
      if (m.length === 0) done++;
      for (const x of m) missing[x]++;
    }
    const scored = subtreeSums(
      leaves
        .filter((l) => !l.exempt && l.score?.selfScore)
        .map((l) => ({ code: l.code, value: dec(l.score!.selfScore!) })),
    );
    return {
      code: f.code,
      title: f.title,
      max: f.maxScore,
      leaves: leaves.length,
      done,
      missing,
      selfTotal: format(scored.get(f.code) ?? ZERO),
    };
  });
}
