// Reopening a submitted self-assessment (issue 23, item 6). The secretariat reopens it with a reason: every criterion's
// answer is copied (table reopening_score), the self-assessment becomes a draft again that the unit may edit even
// after the self-assessment phase (domain/reopening.ts: editableIn), its officers and head are told. When the unit
// submits again (submit.ts calls settleReopening), each criterion is compared with its copy (answerChanges): the
// appraisals of unchanged criteria are kept; those of changed ones return to the queue, undecided, marked.
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../../db/audit.ts';
import { intArray } from '../../db/sql.ts';
import { answerChanges, reopenable, type Answer } from '../../domain/reopening.ts';
import { invalid, ok, refused, type Outcome } from '../outcome.ts';
import { noticeReopened, noticeReturned } from '../notices.ts';

/** The longest reason the secretariat may give. */
export const reasonMaxLength = 2000;

/** What reopening would do, in numbers, for the confirmation page; `refusal` says why it cannot be done now. */
export interface ReopenPreview {
  campaign: { id: number; code: string; name: string; state: string };
  unit: { id: number; code: string; name: string };
  selfAssessmentId: number;
  state: 'draft' | 'submitted';
  submittedAt: Date | null;
  /** Appraisal items of the unit (one per criterion). */
  items: number;
  /** Items an appraiser has already decided (accepted or adjusted). */
  decided: number;
  /** Items waiting for the unit's explanation, or answered and waiting for the appraiser. */
  inRequest: number;
  /** Earlier reopenings of this self-assessment. */
  earlier: number;
  /** The reason of a reopening still open (the unit has not submitted again). */
  openReason: string | null;
  refusal: 'reopen.error.closed' | 'reopen.error.notSubmitted' | 'reopen.error.draftPhase' | null;
}

const refusalOf = (phase: string, state: string): ReopenPreview['refusal'] =>
  phase === 'approved' || phase === 'published'
    ? 'reopen.error.closed'
    : !reopenable(phase)
      ? 'reopen.error.draftPhase'
      : state !== 'submitted'
        ? 'reopen.error.notSubmitted'
        : null;

interface PreviewRow {
  campaign_id: number;
  campaign_code: string;
  campaign_name: string;
  phase: string;
  unit_id: number;
  unit_code: string;
  unit_name: string;
  sa_id: number;
  state: 'draft' | 'submitted';
  submitted_at: Date | null;
  reopen_reason: string | null;
  items: number;
  decided: number;
  in_request: number;
  earlier: number;
}

/** The unit's self-assessment in the campaign with what reopening it would touch; null when there is none. */
export async function reopenPreview(
  em: EntityManager,
  campaignCode: string,
  unitCode: string,
): Promise<ReopenPreview | null> {
  const [r] = await em.execute<PreviewRow[]>(
    `select c.id as campaign_id, c.code as campaign_code, c.name as campaign_name, c.state as phase,
            u.id as unit_id, u.code as unit_code, u.name as unit_name, sa.id as sa_id, sa.state, sa.submitted_at, sa.reopen_reason,
            (select count(*)::int from appraisal a join criterion_score cs on cs.id = a.criterion_score_id where cs.self_assessment_id = sa.id) as items,
            (select count(*)::int from appraisal a join criterion_score cs on cs.id = a.criterion_score_id
              where cs.self_assessment_id = sa.id and a.state in ('accepted', 'adjusted')) as decided,
            (select count(*)::int from appraisal a join criterion_score cs on cs.id = a.criterion_score_id
              where cs.self_assessment_id = sa.id and a.state in ('waiting', 'answered')) as in_request,
            (select count(*)::int from reopening ro where ro.self_assessment_id = sa.id and ro.resubmitted_at is not null) as earlier
       from self_assessment sa join campaign c on c.id = sa.campaign_id join unit u on u.id = sa.unit_id
      where c.code = ? and u.code = ?`,
    [campaignCode, unitCode],
  );
  if (!r) return null;
  return {
    campaign: { id: r.campaign_id, code: r.campaign_code, name: r.campaign_name, state: r.phase },
    unit: { id: r.unit_id, code: r.unit_code, name: r.unit_name },
    selfAssessmentId: r.sa_id,
    state: r.state,
    submittedAt: r.submitted_at,
    items: r.items,
    decided: r.decided,
    inRequest: r.in_request,
    earlier: r.earlier,
    openReason: r.state === 'draft' ? r.reopen_reason : null,
    refusal: refusalOf(r.phase, r.state),
  };
}

/** Reopened: the number of appraisals made that the resubmission will weigh. */
export type ReopenOutcome = Outcome<{ appraisalsMade: number }, 'invalid' | 'refused'>;

/**
 * The secretariat reopens a unit's submitted self-assessment, with its reason: refused (nothing written) once the
 * campaign is approved or published, or when the self-assessment is not submitted. The campaign row is share-locked,
 * so an approval (which takes it `for update`) and a reopening serialise; the self-assessment row is locked for update,
 * as the submission locks it.
 */
export async function reopenSelfAssessment(
  em: EntityManager,
  actor: { id: number },
  campaignCode: string,
  unitCode: string,
  reasonTyped: string,
): Promise<ReopenOutcome> {
  const reason = reasonTyped.trim().normalize('NFC');
  if (!reason) return invalid({ reason: 'reopen.error.reason' });
  if (reason.length > reasonMaxLength) return invalid({ reason: 'reopen.error.reasonLong' });
  return em.transactional(async (tx): Promise<ReopenOutcome> => {
    const [row] = await tx.execute<
      { id: number; state: string; phase: string; unit_id: number; campaign_id: number }[]
    >(
      `select sa.id, sa.state, c.state as phase, sa.unit_id, c.id as campaign_id
         from self_assessment sa join campaign c on c.id = sa.campaign_id join unit u on u.id = sa.unit_id
        where c.code = ? and u.code = ? for update of sa for share of c`,
      [campaignCode, unitCode],
    );
    if (!row) return refused('refused', { _form: 'reopen.error.notSubmitted' });
    const refusal = refusalOf(row.phase, row.state);
    if (refusal) return refused('refused', { _form: refusal });
    const [{ made }] = await tx.execute<{ made: number }[]>(
      `select count(*)::int as made from appraisal a join criterion_score cs on cs.id = a.criterion_score_id
        where cs.self_assessment_id = ? and a.state <> 'todo'`,
      [row.id],
    );
    const [reopening] = await tx.execute<{ id: number }[]>(
      `insert into reopening (self_assessment_id, reason, reopened_by_id, phase, appraisals_made) values (?, ?, ?, ?, ?) returning id`,
      [row.id, reason, actor.id, row.phase, made],
    );
    // The copy every later comparison is made against: each criterion's answer and its evidence as they were judged.
    await tx.execute(
      `insert into reopening_score (reopening_id, criterion_score_id, self_score, declared_level, declared_achieved, declared_total,
                                    not_applicable, explanation, evidence)
       select ?, cs.id, cs.self_score, cs.declared_level, cs.declared_achieved, cs.declared_total, cs.not_applicable, cs.explanation,
              coalesce((select array_agg(ef.sha256 order by ef.sha256) from evidence_file ef
                         where ef.criterion_score_id = cs.id and ef.removed_at is null), '{}')
         from criterion_score cs where cs.self_assessment_id = ?`,
      [reopening.id, row.id],
    );
    await tx.execute(`update self_assessment set state = 'draft', reopen_reason = ? where id = ?`, [reason, row.id]);
    await noticeReopened(tx, row.id, reason);
    audit(tx, {
      actorId: actor.id,
      action: 'self-assessment.reopened',
      entityType: 'SelfAssessment',
      entityId: row.id,
      before: { state: 'submitted', phase: row.phase },
      after: { state: 'draft', reopening: reopening.id, appraisalsMade: made },
      reason,
    });
    return ok({ appraisalsMade: made });
  });
}

/** What the resubmission did with the appraisals made before the reopening. */
export interface Settled {
  changed: string[];
  kept: number;
  returned: number;
}

interface ComparedRow {
  id: number;
  code: string;
  b_score: string | null;
  b_level: string | null;
  b_achieved: number | null;
  b_total: number | null;
  b_na: boolean;
  b_explanation: string;
  b_evidence: string[];
  self_score: string | null;
  declared_level: string | null;
  declared_achieved: number | null;
  declared_total: number | null;
  not_applicable: boolean;
  explanation: string;
  evidence: string[];
  appraisal_id: number | null;
  appraisal_state: string | null;
  appraised_score: string | null;
  reason: string | null;
}

/**
 * Called by the submission, in its transaction and under its lock, right after the self-assessment is marked
 * submitted: when a reopening is open, each criterion is compared with its copy; the appraisals of changed criteria
 * go back to the queue (undecided, no appraised score), the others stay as they were; all audited. Null when the
 * self-assessment was not reopened.
 */
export async function settleReopening(
  tx: EntityManager,
  selfAssessmentId: number,
  actorId: number,
): Promise<Settled | null> {
  const [reopening] = await tx.execute<{ id: number }[]>(
    'select id from reopening where self_assessment_id = ? and resubmitted_at is null for update',
    [selfAssessmentId],
  );
  if (!reopening) return null;
  const rows = await tx.execute<ComparedRow[]>(
    `select rs.criterion_score_id as id, k.code,
            rs.self_score as b_score, rs.declared_level as b_level, rs.declared_achieved as b_achieved, rs.declared_total as b_total,
            rs.not_applicable as b_na, rs.explanation as b_explanation, rs.evidence as b_evidence,
            cs.self_score, cs.declared_level, cs.declared_achieved, cs.declared_total, cs.not_applicable, cs.explanation,
            coalesce((select array_agg(ef.sha256) from evidence_file ef where ef.criterion_score_id = cs.id and ef.removed_at is null), '{}') as evidence,
            a.id as appraisal_id, a.state as appraisal_state, a.appraised_score, a.reason
       from reopening_score rs
       join criterion_score cs on cs.id = rs.criterion_score_id
       join criterion k on k.id = cs.criterion_id
       left join appraisal a on a.criterion_score_id = cs.id
      where rs.reopening_id = ?
      order by k.position, k.code`,
    [reopening.id],
  );
  const changedIds: number[] = [];
  const changed: string[] = [];
  let kept = 0;
  let returned = 0;
  const returnedIds: number[] = [];
  for (const r of rows) {
    const before: Answer = {
      selfScore: r.b_score,
      declaredLevel: r.b_level,
      declaredAchieved: r.b_achieved,
      declaredTotal: r.b_total,
      notApplicable: r.b_na,
      explanation: r.b_explanation,
      evidence: r.b_evidence,
    };
    const after: Answer = {
      selfScore: r.self_score,
      declaredLevel: r.declared_level,
      declaredAchieved: r.declared_achieved,
      declaredTotal: r.declared_total,
      notApplicable: r.not_applicable,
      explanation: r.explanation,
      evidence: r.evidence,
    };
    const parts = answerChanges(before, after);
    const appraisalId = r.appraisal_state !== 'todo' ? r.appraisal_id : null;
    if (parts.length === 0) {
      if (appraisalId !== null) kept++;
      continue;
    }
    changedIds.push(r.id);
    changed.push(r.code);
    if (appraisalId === null) continue;
    returned++;
    returnedIds.push(appraisalId);
    audit(tx, {
      actorId,
      action: 'appraisal.returned-after-reopening',
      entityType: 'Appraisal',
      entityId: appraisalId,
      before: { state: r.appraisal_state, appraisedScore: r.appraised_score, reason: r.reason },
      after: { state: 'todo', changed: parts },
    });
  }
  // The changed criteria's appraisals back to the queue, undecided, in one statement.
  if (returnedIds.length)
    await tx.execute(
      `update appraisal set state = 'todo', appraised_score = null, declared_level = null, declared_achieved = null,
              declared_total = null, reason = '', appraiser_id = null, updated_at = now(), version = version + 1
        where id = any(?::int[])`,
      [intArray(returnedIds)],
    );
  await tx.execute(`update reopening_score set changed = (criterion_score_id = any(?::int[])) where reopening_id = ?`, [
    intArray(changedIds),
    reopening.id,
  ]);
  await tx.execute(
    'update reopening set resubmitted_at = now(), resubmitted_by_id = ?, kept = ?, returned = ? where id = ?',
    [actorId, kept, returned, reopening.id],
  );
  await tx.execute('update self_assessment set reopen_reason = null where id = ?', [selfAssessmentId]);
  await noticeReturned(tx, selfAssessmentId, returnedIds);
  audit(tx, {
    actorId,
    action: 'self-assessment.resubmitted',
    entityType: 'SelfAssessment',
    entityId: selfAssessmentId,
    after: { reopening: reopening.id, changed, kept, returned },
  });
  return { changed, kept, returned };
}

/**
 * SQL for "the unit changed this criterion after a reopening" on a criterion_score id expression: the mark the queue
 * and the item show ("đơn vị đã sửa sau khi mở lại").
 */
export const changedAfterReopeningSql = (scoreId: string) =>
  `exists (select 1 from reopening_score rs where rs.criterion_score_id = ${scoreId} and rs.changed)`;

/** Whether the unit changed this criterion after a reopening (the item page's mark). */
export async function changedAfterReopening(em: EntityManager, scoreId: number): Promise<boolean> {
  const [row] = await em.execute<{ changed: boolean }[]>(`select ${changedAfterReopeningSql('?')} as changed`, [
    scoreId,
  ]);
  return row?.changed === true;
}

/** How many of the campaign's self-assessments are reopened and not yet submitted again: the approval waits for them. */
export async function reopenedPending(em: EntityManager, campaignId: number): Promise<number> {
  const [row] = await em.execute<{ n: number }[]>(
    `select count(*)::int as n from reopening ro join self_assessment sa on sa.id = ro.self_assessment_id
      where sa.campaign_id = ? and ro.resubmitted_at is null`,
    [campaignId],
  );
  return row?.n ?? 0;
}

/** A reopening still open for the person's units, for their home page: the campaign, the unit, the reason, when. */
export interface OpenReopening {
  campaign: string;
  campaignName: string;
  unit: string;
  unitName: string;
  reason: string;
  reopenedAt: Date;
  phase: string;
}

export async function openReopenings(em: EntityManager, unitIds: readonly number[]): Promise<OpenReopening[]> {
  if (unitIds.length === 0) return [];
  return em.execute<OpenReopening[]>(
    `select c.code as campaign, c.name as "campaignName", u.code as unit, u.name as "unitName", ro.reason,
            ro.reopened_at as "reopenedAt", c.state as phase
       from reopening ro join self_assessment sa on sa.id = ro.self_assessment_id
       join campaign c on c.id = sa.campaign_id join unit u on u.id = sa.unit_id
      where ro.resubmitted_at is null and sa.unit_id = any(?::int[])
      order by ro.reopened_at desc`,
    [intArray([...unitIds])],
  );
}
