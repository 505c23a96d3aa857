import type { EntityManager } from '@mikro-orm/postgresql';
import { intArray } from '../../db/sql.ts';
import { todayInVietnam } from '../../domain/dates.ts';
import { type CurrentUser, unitAccess } from '../../domain/permissions.ts';
import type { Role } from '../../domain/workflow.ts';
import { holdsCriterion } from './hands.ts';
import { editableIn } from '../../domain/reopening.ts';

/** Everything a unit page needs to know about who asks, for which unit and campaign, and whether they may change it. */
export interface UnitContext {
  userId: number;
  role: Extract<Role, 'officer' | 'head' | 'contributor'>;
  unit: { id: number; code: string; name: string };
  campaign: {
    id: number;
    code: string;
    name: string;
    year: number;
    state: string;
    precision: number;
    rounding: string;
    criteriaSetId: number;
    opens: string | null;
    closes: string | null;
    officerMaySubmit: boolean;
    /** A practice campaign (Tập huấn): its pages carry the band. */
    practice: boolean;
  };
  /** The unit's own deadline: the campaign's, or the secretariat's extension for this unit. */
  deadline: string | null;
  extended: boolean;
  selfAssessment: { id: number; state: 'draft' | 'submitted'; submittedAt: Date | null; submittedBy: string | null };
  /** The secretariat's reason when it reopened the submitted self-assessment and the unit has not submitted again. */
  reopenReason: string | null;
  /** True while the unit may still change its answers: campaign in self-assessment, not submitted, inside the window. */
  editable: boolean;
  /** Why it is not editable, as a message key, when it is not. */
  lockedReason: 'submitted' | 'closed' | 'notOpen' | 'phase' | null;
  mayAssign: boolean;
  maySubmit: boolean;
}

export interface UnitCampaignSelfRow {
  unit_id: number;
  unit_code: string;
  unit_name: string;
  campaign_id: number;
  code: string;
  name: string;
  year: number;
  state: string;
  precision: number;
  rounding: string;
  criteria_set_id: number;
  opens: string | null;
  closes: string | null;
  extended_to: string | null;
  officer_may_submit: boolean;
  practice: boolean;
  sa_id: number;
  sa_state: 'draft' | 'submitted';
  submitted_at: Date | null;
  submitted_by: string | null;
  reopen_reason: string | null;
}

/** A unit's self-assessment in a campaign past its draft, with the campaign's words and dates; null when none. */
export async function unitCampaignRow(
  em: EntityManager,
  unitCode: string,
  campaignCode: string,
): Promise<UnitCampaignSelfRow | null> {
  const [row] = await em.execute<UnitCampaignSelfRow[]>(
    `select u.id as unit_id, u.code as unit_code, u.name as unit_name,
            c.id as campaign_id, c.code, c.name, c.year, c.state, c.precision, c.rounding, c.criteria_set_id,
            to_char(c.self_assessment_opens, 'YYYY-MM-DD') as opens, to_char(c.self_assessment_closes, 'YYYY-MM-DD') as closes,
            to_char(cu.deadline_extended_to, 'YYYY-MM-DD') as extended_to, c.officer_may_submit, c.practice,
            sa.id as sa_id, sa.state as sa_state, sa.submitted_at, su.full_name as submitted_by,
            case when sa.state = 'draft' then sa.reopen_reason end as reopen_reason
       from unit u
       join campaign_unit cu on cu.unit_id = u.id
       join campaign c on c.id = cu.campaign_id
       join self_assessment sa on sa.campaign_id = c.id and sa.unit_id = u.id
       left join app_user su on su.id = sa.submitted_by_id
      where u.code = ? and c.code = ? and c.state <> 'draft'`,
    [unitCode, campaignCode],
  );
  return row ?? null;
}

/**
 * The unit and campaign as this person may see them, or null: a unit they hold no role in, a campaign the unit is
 * not assessed in, or one still in draft is simply not found.
 */
export async function unitContext(
  em: EntityManager,
  user: CurrentUser,
  unitCode: string,
  campaignCode: string,
  today = todayInVietnam(),
): Promise<UnitContext | null> {
  const row = await unitCampaignRow(em, unitCode, campaignCode);
  if (!row) return null;
  const role = unitAccess(user.grants).get(row.unit_id);
  if (!role || (role !== 'officer' && role !== 'head' && role !== 'contributor')) return null;
  return contextOf(row, user.id, role, today);
}

/** What a row says to a person holding `role` in its unit, on `today`. */
export function contextOf(
  row: UnitCampaignSelfRow,
  userId: number,
  role: UnitContext['role'],
  today: string,
): UnitContext {
  const deadline = row.extended_to ?? row.closes;
  // A reopened self-assessment may be edited until it is submitted again, whatever its window (domain/reopening.ts).
  const reopened = row.reopen_reason !== null && editableIn(row.state, true);
  const lockedReason = reopened
    ? null
    : row.state !== 'self-assessment'
      ? 'phase'
      : row.sa_state === 'submitted'
        ? 'submitted'
        : row.opens && today < row.opens
          ? 'notOpen'
          : deadline && today > deadline
            ? 'closed'
            : null;
  return {
    userId,
    role,
    unit: { id: row.unit_id, code: row.unit_code, name: row.unit_name },
    campaign: {
      id: row.campaign_id,
      code: row.code,
      name: row.name,
      year: row.year,
      state: row.state,
      precision: row.precision,
      rounding: row.rounding,
      criteriaSetId: row.criteria_set_id,
      opens: row.opens,
      closes: row.closes,
      officerMaySubmit: row.officer_may_submit,
      practice: row.practice,
    },
    deadline,
    extended: row.extended_to !== null,
    selfAssessment: {
      id: row.sa_id,
      state: row.sa_state,
      submittedAt: row.submitted_at,
      submittedBy: row.submitted_by,
    },
    reopenReason: row.reopen_reason,
    editable: lockedReason === null,
    lockedReason,
    mayAssign: role === 'officer' || role === 'head',
    maySubmit: role === 'head' || (role === 'officer' && row.officer_may_submit),
  };
}

export interface ScoreRef {
  id: number;
  criterionId: number;
  criterionCode: string;
  version: number;
}

/**
 * One criterion's answer of this unit, if this person may see it: a contributor only sees what they hold (assigned to
 * them, or to a body they act for).
 * `criterionCode` is the dotted code (3.2.6).
 */
export async function scoreRef(em: EntityManager, ctx: UnitContext, criterionCode: string): Promise<ScoreRef | null> {
  const [row] = await em.execute<{ id: number; criterion_id: number; code: string; version: number; held: boolean }[]>(
    `select cs.id, cs.criterion_id, c.code, cs.version, ${holdsCriterion('cs.id', '?')} as held
       from criterion_score cs join criterion c on c.id = cs.criterion_id
      where cs.self_assessment_id = ? and c.code = ?`,
    [ctx.userId, ctx.selfAssessment.id, criterionCode],
  );
  if (!row) return null;
  if (ctx.role === 'contributor' && !row.held) return null;
  return {
    id: row.id,
    criterionId: row.criterion_id,
    criterionCode: row.code,
    version: row.version,
  };
}

export interface UnitCampaignRow {
  unit_id: number;
  unit_code: string;
  unit_name: string;
  campaign_id: number;
  code: string;
  name: string;
  year: number;
  state: string;
  closes: string | null;
  self_state: string | null;
  practice: boolean;
}

/** Campaigns (past their draft) of the units this person works for; authorization is the `unit_id = any(...)` scope. */
export function unitCampaigns(em: EntityManager, user: CurrentUser): Promise<UnitCampaignRow[]> {
  const unitIds = [...unitAccess(user.grants).keys()];
  return em.execute<UnitCampaignRow[]>(
    `select u.id as unit_id, u.code as unit_code, u.name as unit_name, c.id as campaign_id, c.code, c.name, c.year, c.state,
            to_char(coalesce(cu.deadline_extended_to, c.self_assessment_closes), 'YYYY-MM-DD') as closes, sa.state as self_state, c.practice
       from campaign_unit cu
       join unit u on u.id = cu.unit_id
       join campaign c on c.id = cu.campaign_id
       left join self_assessment sa on sa.campaign_id = c.id and sa.unit_id = u.id
      where u.id = any(?::int[]) and c.state <> 'draft'
      order by c.year desc, u.name collate "vi-x-icu"`,
    [intArray(unitIds)],
  );
}
