import type { SignatureFlag } from '../evidence/flags.ts';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../../db/audit.ts';
import { intArray } from '../../db/sql.ts';
import { compare, dec, format, type Precision, type Rounding } from '../../domain/decimal.ts';
import { declaredScore, type Declaration } from '../../domain/declared.ts';
import { addDays } from '../../domain/dates.ts';
import { msg } from '../../domain/message.ts';
import { invalid, ok, refused, type FieldErrors, type Outcome } from '../outcome.ts';
import { criterionColumns } from '../self-assessment/criteria-tree.ts';
import { lockedPhase } from './phase.ts';
import { effectiveAgency } from './scope.ts';
import { noticeDecided, noticeRequested } from '../notices.ts';
import { coAppraises, decisionBarred } from './coappraisal.ts';

/** One appraisal item with all an appraiser needs to decide, if it belongs to one of their agencies. */
export interface Item {
  id: number;
  state: 'todo' | 'accepted' | 'adjusted' | 'waiting' | 'answered';
  version: number;
  appraisedScore: string | null;
  declaredLevel: string | null;
  declaredAchieved: number | null;
  declaredTotal: number | null;
  reason: string;
  appraiserName: string | null;
  updatedAt: string | null;
  scoreId: number;
  self: {
    score: string | null;
    level: string | null;
    achieved: number | null;
    total: number | null;
    notApplicable: boolean;
    explanation: string;
  };
  criterion: {
    id: number;
    code: string;
    title: string;
    guidance: string;
    kind: string;
    minScore: string;
    maxScore: string;
    scoring: string | null;
    evidenceRequired: boolean;
  };
  unit: { id: number; code: string; name: string };
  campaign: {
    id: number;
    code: string;
    name: string;
    state: string;
    precision: number;
    rounding: string;
    explanationDays: number;
    criteriaSetId: number;
    /** A practice campaign (Tập huấn): its pages carry the band. */
    practice: boolean;
  };
  selfAssessmentId: number;
  /** The agency that decides (the criterion's own or its nearest ancestor's); co-agencies only give opinions. */
  leadAgencyId: number;
  request: null | { id: number; message: string; dueDate: string; answer: string | null; answeredAt: string | null };
}

export async function findItem(em: EntityManager, agencyIds: number[], id: number): Promise<Item | null> {
  if (!Number.isSafeInteger(id) || agencyIds.length === 0) return null;
  // One statement: the item, whether one of the agencies appraises its criterion (its own or its nearest ancestor's),
  // and its latest request for explanation.
  const [r] = await em.execute<Record<string, any>[]>(
    `with recursive ${effectiveAgency(
      '(select k.criteria_set_id from appraisal a join criterion_score cs on cs.id = a.criterion_score_id join criterion k on k.id = cs.criterion_id where a.id = ?)',
    )}
     select a.id, a.state, a.version, a.appraised_score, a.declared_level, a.declared_achieved, a.declared_total, a.reason, ap.full_name as appraiser_name, a.updated_at,
            cs.id as score_id, cs.self_score, cs.declared_level as self_level, cs.declared_achieved as self_achieved, cs.declared_total as self_total,
            cs.not_applicable, cs.explanation, sa.id as sa_id,
            c.id as criterion_id, c.code, c.title, c.guidance, c.kind, c.min_score, c.max_score, c.scoring, c.evidence_required, c.criteria_set_id,
            u.id as unit_id, u.code as unit_code, u.name as unit_name,
            k.id as campaign_id, k.code as campaign_code, k.name as campaign_name, k.state as campaign_state, k.practice as campaign_practice, k.precision, k.rounding, k.explanation_days,
            ea.agency_id,
            er.id as request_id, er.message as request_message, to_char(er.due_date, 'YYYY-MM-DD') as request_due, er.answer as request_answer, er.answered_at as request_answered_at
       from appraisal a
       join criterion_score cs on cs.id = a.criterion_score_id
       join self_assessment sa on sa.id = cs.self_assessment_id and sa.state = 'submitted'
       join campaign k on k.id = sa.campaign_id
       join unit u on u.id = sa.unit_id
       join criterion c on c.id = cs.criterion_id
       join effective_agency ea on ea.criterion_id = c.id
       left join app_user ap on ap.id = a.appraiser_id
       left join lateral (select r.id, r.message, r.due_date, r.answer, r.answered_at from explanation_request r where r.appraisal_id = a.id order by r.id desc limit 1) er on true
      where a.id = ?`,
    [id, id],
  );
  if (!r || r.agency_id === null) return null;
  // A co-appraising agency's appraisers see the item too (features/appraisal/coappraisal.ts); they do not decide.
  if (!agencyIds.includes(r.agency_id) && !(await coAppraises(em, r.criterion_id, agencyIds))) return null;
  return {
    id: r.id,
    state: r.state,
    version: r.version,
    appraisedScore: r.appraised_score,
    declaredLevel: r.declared_level,
    declaredAchieved: r.declared_achieved,
    declaredTotal: r.declared_total,
    reason: r.reason,
    appraiserName: r.appraiser_name,
    updatedAt: r.updated_at,
    scoreId: r.score_id,
    self: {
      score: r.self_score,
      level: r.self_level,
      achieved: r.self_achieved,
      total: r.self_total,
      notApplicable: r.not_applicable,
      explanation: r.explanation,
    },
    criterion: { id: r.criterion_id, ...criterionColumns(r) },
    unit: { id: r.unit_id, code: r.unit_code, name: r.unit_name },
    campaign: {
      id: r.campaign_id,
      code: r.campaign_code,
      name: r.campaign_name,
      state: r.campaign_state,
      practice: r.campaign_practice,
      precision: r.precision,
      rounding: r.rounding,
      explanationDays: r.explanation_days,
      criteriaSetId: r.criteria_set_id,
    },
    selfAssessmentId: r.sa_id,
    leadAgencyId: r.agency_id,
    request:
      r.request_id === null
        ? null
        : {
            id: r.request_id,
            message: r.request_message,
            dueDate: r.request_due,
            answer: r.request_answer,
            answeredAt: r.request_answered_at,
          },
  };
}

/** Seed 003's grounds for a zero, one click each; the appraiser decides, the portal only offers. */
export const quickReasons = {
  scan: 'Tài liệu kiểm chứng là bản giấy quét hoặc chưa ký số (Hướng dẫn: chấm 0 điểm).',
  letter: 'Tài liệu kiểm chứng có số văn bản a, b (văn bản chèn số) — chấm 0 điểm.',
  unclear: 'Giải trình không rõ ràng, không nêu số liệu, kết quả tại mục nào của tài liệu kiểm chứng — chấm 0 điểm.',
  signature:
    'Chữ ký số trên tài liệu kiểm chứng không hợp lệ (chữ ký sai, chứng thư hết hạn hoặc bị thu hồi khi ký, hoặc tài liệu bị sửa sau khi ký) — chấm 0 điểm.',
  signedLate:
    'Tài liệu kiểm chứng được ký số sau ngày ban hành văn bản hoặc sau khi hết hạn tự đánh giá (văn bản lập sau) — chấm 0 điểm.',
} as const;
export type QuickReason = keyof typeof quickReasons;

/** The unit gave this item no score of its own (a criterion only the agency scores) and did not declare it not applicable. */
export const noSelfScore = (item: Pick<Item, 'self'>) => item.self.score === null && !item.self.notApplicable;

/** A deduction criterion: its points run from a negative minimum up to 0. */
export const isDeduction = (item: Pick<Item, 'criterion'>) => dec(item.criterion.minScore) < 0n;

/**
 * The quick grounds for a zero that fit this item: the evidence ones only when the unit gave evidence (the signature
 * ones only when a file's verified signature has such a flag: invalid, expired or changed; signed after the document's
 * date or the close), the unclear explanation only when the unit scored itself; none on a deduction criterion (0 is its
 * best score, not a penalty). A flag only offers the ground: the appraiser decides.
 */
export function quickReasonsFor(
  item: Pick<Item, 'self' | 'criterion'>,
  evidenceFiles: number,
  flags: readonly SignatureFlag[] = [],
): QuickReason[] {
  if (isDeduction(item) || noSelfScore(item)) return [];
  const grounds: QuickReason[] = [];
  if (evidenceFiles > 0) grounds.push('scan', 'letter');
  if (flags.some((f) => f === 'invalid' || f === 'expired' || f === 'changed')) grounds.push('signature');
  if (flags.some((f) => f === 'afterDocumentDate' || f === 'afterClose')) grounds.push('signedLate');
  if (!item.self.notApplicable) grounds.push('unclear');
  return grounds;
}

export type Action =
  | { kind: 'accept' }
  | { kind: 'adjust'; declaration: Declaration; reason: string }
  | { kind: 'quick'; ground: QuickReason }
  /** A zero on an on-site check's finding, its reason quoting it (features/onsite: findingReason). */
  | { kind: 'onsite'; reason: string }
  | { kind: 'request'; message: string; dueDate: string | null };

/** The item's new state; or invalid input, a locked item (the reason in `_form`), or a version someone else changed. */
export type ActOutcome = Outcome<Item['state'], 'invalid' | 'locked' | 'conflict'>;

const appraisalClosed = refused('locked', { _form: 'appraisal.error.closed' });

/**
 * One appraiser's decision on one item. It lands only on the version the appraiser saw (no lost update), only while the
 * campaign is in appraisal (checked again in the writing transaction, under the campaign row's share lock, so that
 * closing the appraisal and a decision serialise), and never while the unit still has time to answer a request.
 */
export async function appraise(
  em: EntityManager,
  actor: { id: number; agencyIds: number[] },
  item: Item,
  version: number,
  action: Action,
  today: string,
): Promise<ActOutcome> {
  if (item.campaign.state !== 'appraisal') return appraisalClosed;
  const barred = await decisionBarred(em, actor, item, today);
  if (barred) return barred;
  if (item.state === 'waiting' && item.request && item.request.dueDate >= today && !item.request.answeredAt) {
    return refused('locked', {
      _form: msg('appraisal.error.waiting', { date: item.request.dueDate.split('-').reverse().join('/') }),
    });
  }
  const rules = { precision: item.campaign.precision as Precision, rounding: item.campaign.rounding as Rounding };
  let next: {
    state: Item['state'];
    score: string | null;
    level: string | null;
    achieved: number | null;
    total: number | null;
    reason: string;
  };
  if (action.kind === 'accept') {
    if (item.criterion.kind !== 'self') return invalid({ score: 'appraisal.error.scoreNeeded' });
    next = {
      state: 'accepted',
      score: item.self.notApplicable ? null : item.self.score,
      level: item.self.level,
      achieved: item.self.achieved,
      total: item.self.total,
      reason: '',
    };
  } else if (action.kind === 'quick' || action.kind === 'onsite') {
    next = {
      state: 'adjusted',
      score: format(dec(0) < dec(item.criterion.minScore) ? dec(item.criterion.minScore) : dec(0)),
      level: null,
      achieved: null,
      total: null,
      reason: action.kind === 'quick' ? quickReasons[action.ground] : action.reason,
    };
  } else if (action.kind === 'adjust') {
    const outcome = declaredScore(item.criterion, action.declaration, rules);
    if (!outcome.ok) return invalid(outcome.errors);
    const d = outcome.value;
    const same = !item.self.notApplicable && item.self.score !== null && compare(d.score, dec(item.self.score)) === 0;
    // Nothing to differ from when the unit gave no score (a criterion only the agency scores): no reason demanded.
    const unscored = noSelfScore(item);
    const reason = action.reason.trim().normalize('NFC');
    if (!same && !unscored && !reason) return invalid({ reason: 'appraisal.error.reason' });
    next = {
      state: same || unscored ? 'accepted' : 'adjusted',
      score: format(d.score),
      level: d.level,
      achieved: d.achieved,
      total: d.total,
      reason,
    };
  } else {
    const message = action.message.trim().normalize('NFC');
    const due = action.dueDate ?? addDays(today, item.campaign.explanationDays);
    const errors: FieldErrors = {};
    if (!message) errors.message = 'appraisal.error.message';
    if (due < today) errors.dueDate = 'appraisal.error.dueDate';
    if (Object.keys(errors).length) return invalid(errors);
    return em.transactional(async (tx): Promise<ActOutcome> => {
      if ((await lockedPhase(tx, item.campaign.id)) !== 'appraisal') return appraisalClosed;
      const updated = await tx.execute<{ id: number }[]>(
        `update appraisal set state = 'waiting', appraiser_id = ?, updated_at = now(), version = version + 1 where id = ? and version = ? returning id`,
        [actor.id, item.id, version],
      );
      if (!updated.length) return refused('conflict');
      await tx.execute(
        `insert into explanation_request (appraisal_id, message, due_date, requested_by_id, requested_at) values (?, ?, ?, ?, now())`,
        [item.id, message, due, actor.id],
      );
      await noticeRequested(tx, item.id, due);
      audit(tx, {
        actorId: actor.id,
        action: 'appraisal.explanation-requested',
        entityType: 'Appraisal',
        entityId: item.id,
        before: { state: item.state },
        after: { state: 'waiting', message, dueDate: due },
      });
      return ok('waiting' as const);
    });
  }
  return em.transactional(async (tx): Promise<ActOutcome> => {
    if ((await lockedPhase(tx, item.campaign.id)) !== 'appraisal') return appraisalClosed;
    const updated = await tx.execute<{ id: number }[]>(
      `update appraisal set state = ?, appraised_score = ?, declared_level = ?, declared_achieved = ?, declared_total = ?, reason = ?,
              appraiser_id = ?, updated_at = now(), version = version + 1
        where id = ? and version = ? returning id`,
      [next.state, next.score, next.level, next.achieved, next.total, next.reason, actor.id, item.id, version],
    );
    if (!updated.length) return refused('conflict');
    // The unit explained this item: it hears how it was decided.
    if (item.state === 'answered') await noticeDecided(tx, item.id);
    audit(tx, {
      actorId: actor.id,
      action: `appraisal.${next.state}`,
      entityType: 'Appraisal',
      entityId: item.id,
      before: { state: item.state, appraisedScore: item.appraisedScore, reason: item.reason },
      after: {
        state: next.state,
        appraisedScore: next.score,
        level: next.level,
        achieved: next.achieved,
        total: next.total,
        reason: next.reason,
      },
      reason: next.reason || null,
    });
    return ok(next.state);
  });
}

/** The item's story: the unit's saves, the appraisers' decisions, requests and answers, oldest first. */
export async function history(em: EntityManager, item: Item) {
  return em.execute<
    { at: string; action: string; actor: string | null; before: any; after: any; reason: string | null }[]
  >(
    `select e.at, e.action, u.full_name as actor, e.before, e.after, e.reason from audit_event e left join app_user u on u.id = e.actor_id
      where (e.entity_type = 'Appraisal' and e.entity_id = ?) or (e.entity_type = 'CriterionScore' and e.entity_id = ?)
         or (e.entity_type = 'ExplanationRequest' and e.entity_id in (select id::text from explanation_request where appraisal_id = ?))
      order by e.id`,
    [String(item.id), String(item.scoreId), item.id],
  );
}

export async function agenciesNamed(em: EntityManager, ids: number[]) {
  return em.execute<{ id: number; name: string }[]>(
    'select id, name from agency where id = any(?::int[]) order by name collate "vi-x-icu"',
    [intArray(ids)],
  );
}

/** One evidence file of the item: given with the unit's score or with an answer to one of the item's requests. */
export async function itemEvidenceFile(
  em: EntityManager,
  item: Item,
  fileId: number,
): Promise<{ sha256: string; media_type: string; original_name: string; size: string } | null> {
  const [file] = await em.execute<{ sha256: string; media_type: string; original_name: string; size: string }[]>(
    `select ef.sha256, ef.media_type, ef.original_name, ef.size from evidence_file ef
      where ef.id = ? and (ef.criterion_score_id = ? or ef.explanation_request_id in (select id from explanation_request where appraisal_id = ?))`,
    [fileId, item.scoreId, item.id],
  );
  return file ?? null;
}
