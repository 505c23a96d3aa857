// Answers to the online survey (issue 17): the public form of a unit at /ks/<short code>, and the paper forms the
// secretariat types. Only real answers count: one per device, unit and day (a cookie of the form's own, kept only as a
// salted hash), a limit of answers per address and time (the address kept only as a salted hash), one-time codes from
// printed slips where the unit uses them, and the campaign's window. Voided answers stay, with who, when and why.
import { createHmac } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../../db/audit.ts';
import { CampaignSchema } from '../../db/entities/index.ts';
import { todayInVietnam } from '../../domain/dates.ts';
import type { FieldErrors } from '../../domain/message.ts';
import type { CampaignState } from '../../domain/workflow.ts';
import type { Actor } from '../criteria-sets.ts';
import { invalid, ok, refused, type Outcome } from '../outcome.ts';
import {
  frozenStates,
  groupsOf,
  newShortCode,
  settingsOf,
  type SurveyGroup,
  type SurveySettings,
} from './questionnaire.ts';

/** The five levels, from "Rất không hài lòng" (1) to "Rất hài lòng" (5); 0 is "Không ý kiến" where allowed. */
export const levels = [5, 4, 3, 2, 1] as const;
export const noOpinion = 0;
/** "Hài lòng" and "Rất hài lòng": what the formula counts as satisfied. */
export const satisfiedFrom = 4;

/** Answers one address may send within the window before the next is refused (a desk's shared Wi-Fi stays far below). */
export const addressLimit = { answers: 20, minutes: 10 };

/** A salted hash (HMAC-SHA-256 under the installation's secret) of an address or a device's cookie: never the value. */
export function saltedHash(secret: string, kind: 'address' | 'device' | 'form', value: string): string {
  return createHmac('sha256', secret).update(`survey-${kind}:${value}`).digest('hex');
}

export type FormState = 'open' | 'notYet' | 'closed';

export interface SurveyForm {
  shortCode: string;
  campaign: { id: number; code: string; name: string; state: CampaignState };
  unit: { id: number; code: string; name: string };
  settings: SurveySettings;
  groups: SurveyGroup[];
  slipsRequired: boolean;
  state: FormState;
}

/** The form behind a short address, with whether it is open today (Vietnam's date); null for an unknown code. */
export async function loadForm(
  em: EntityManager,
  shortCode: string,
  today = todayInVietnam(),
): Promise<SurveyForm | null> {
  if (!/^[a-z0-9]{4,16}$/.test(shortCode)) return null;
  const [row] = await em.execute<
    {
      campaign_id: number;
      campaign_code: string;
      campaign_name: string;
      state: CampaignState;
      unit_id: number;
      unit_code: string;
      unit_name: string;
      slips_required: boolean;
      online: boolean;
      opens_on: string | null;
      closes_on: string | null;
      no_opinion: boolean;
      units_type_paper: boolean;
    }[]
  >(
    `select c.id as campaign_id, c.code as campaign_code, c.name as campaign_name, c.state,
            u.id as unit_id, u.code as unit_code, u.name as unit_name, l.slips_required,
            s.online, s.opens_on::text, s.closes_on::text, s.no_opinion, s.units_type_paper
       from survey_link l join campaign c on c.id = l.campaign_id join unit u on u.id = l.unit_id
       join survey_settings s on s.campaign_id = l.campaign_id
      where l.code = ?`,
    [shortCode],
  );
  if (!row) return null;
  const settings: SurveySettings = {
    online: row.online,
    opensOn: row.opens_on,
    closesOn: row.closes_on,
    noOpinion: row.no_opinion,
    unitsTypePaper: row.units_type_paper,
  };
  const groups = (await groupsOf(em, row.campaign_id)).filter((group) => group.questions.length > 0);
  const state: FormState =
    frozenStates.includes(row.state) || groups.length === 0
      ? 'closed'
      : settings.opensOn === null || today < settings.opensOn
        ? 'notYet'
        : settings.closesOn !== null && today > settings.closesOn
          ? 'closed'
          : 'open';
  return {
    shortCode,
    campaign: { id: row.campaign_id, code: row.campaign_code, name: row.campaign_name, state: row.state },
    unit: { id: row.unit_id, code: row.unit_code, name: row.unit_name },
    settings,
    groups,
    slipsRequired: row.slips_required,
    state,
  };
}

/** One answer as sent: the group, the level of each question by its id (strings as the form sends), a comment. */
export interface AnswerInput {
  group: string;
  levels: Record<string, string | undefined>;
  comment: string;
  slip: string;
}

export function questionFieldKey(questionId: number): string {
  return `q${questionId}`;
}

/** Checks one answer against its form: the group, a level for every question, the comment's length. */
export function checkAnswer(
  form: Pick<SurveyForm, 'groups' | 'settings'>,
  input: AnswerInput,
): { ok: true; group: SurveyGroup; levels: number[]; comment: string | null } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const group =
    form.groups.length === 1 && input.group === ''
      ? form.groups[0]
      : form.groups.find((g) => String(g.id) === input.group.trim());
  if (!group) return { ok: false, errors: { group: 'surveyOnline.answer.group' } };
  const chosen: number[] = [];
  for (const question of group.questions) {
    const given = (input.levels[questionFieldKey(question.id)] ?? '').trim();
    const level = /^[0-5]$/.test(given) ? Number(given) : null;
    if (level === null || (level === noOpinion && !form.settings.noOpinion))
      errors[questionFieldKey(question.id)] = 'surveyOnline.answer.level';
    else chosen.push(level);
  }
  const comment = input.comment.normalize('NFC').trim();
  if (comment.length > 1000) errors.comment = 'surveyOnline.answer.commentLong';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, group, levels: chosen, comment: comment === '' ? null : comment };
}

export interface Sender {
  /** saltedHash of the client's address. */
  addressHash: string;
  /** saltedHash of the device's cookie. */
  deviceHash: string;
}

export type AnswerRefusal = 'invalid' | 'closed' | 'again' | 'tooMany' | 'slip';

/**
 * Records one answer from the public form: refused when the form is not open, the device has answered this unit today
 * ('again'), the address sent too many answers lately ('tooMany'), or the slip's code is wrong or used ('slip'). The
 * unique index on device, unit and day holds under concurrent sends; the address limit is checked by the insert
 * itself, so an answer without a slip costs one statement. `form` is the form as loaded (or its short code).
 */
export async function submitAnswer(
  em: EntityManager,
  formOrCode: SurveyForm | string,
  input: AnswerInput,
  sender: Sender,
  today = todayInVietnam(),
): Promise<Outcome<{ id: string }, AnswerRefusal>> {
  const form = typeof formOrCode === 'string' ? await loadForm(em, formOrCode, today) : formOrCode;
  if (form?.state !== 'open') return refused('closed');
  const checked = checkAnswer(form, input);
  if (!checked.ok) return invalid(checked.errors);
  const slip = input.slip.trim().toLowerCase();
  if (form.slipsRequired && slip === '') return invalid({ slip: 'surveyOnline.slip.required' });
  const insert = async (db: EntityManager) => {
    const [answer] = await db.execute<{ id: string }[]>(
      `insert into survey_answer (campaign_id, unit_id, group_id, source, levels, comment, answered_on, address_hash, device_hash)
       select ?, ?, ?, 'online', ?::smallint[], ?, ?, ?, ?
        where (select count(*) from survey_answer
                where address_hash = ? and created_at > now() - make_interval(mins => ?)) < ?
       on conflict (campaign_id, unit_id, device_hash, answered_on) where device_hash is not null do nothing
       returning id::text`,
      [
        form.campaign.id,
        form.unit.id,
        checked.group.id,
        `{${checked.levels.join(',')}}`,
        checked.comment,
        today,
        sender.addressHash,
        sender.deviceHash,
        sender.addressHash,
        addressLimit.minutes,
        addressLimit.answers,
      ],
    );
    if (answer) return answer;
    // Nothing inserted: the address's limit, or this device's answer of today.
    const [recent] = await db.execute<{ n: number }[]>(
      `select count(*)::int as n from survey_answer where address_hash = ? and created_at > now() - make_interval(mins => ?)`,
      [sender.addressHash, addressLimit.minutes],
    );
    return recent!.n >= addressLimit.answers ? ('tooMany' as const) : ('again' as const);
  };
  if (!form.slipsRequired) {
    const answer = await insert(em);
    return typeof answer === 'string' ? refused(answer) : ok({ id: answer.id });
  }
  return em
    .transactional(async (tx) => {
      const answer = await insert(tx);
      if (typeof answer === 'string') return refused(answer);
      const used = await tx.execute<{ code: string }[]>(
        `update survey_slip set used_at = now(), answer_id = ?
          where campaign_id = ? and unit_id = ? and code = ? and used_at is null returning code`,
        [answer.id, form.campaign.id, form.unit.id, slip],
      );
      // Nothing of the answer stays: the transaction rolls back.
      if (used.length === 0) throw new SlipRefused();
      return ok({ id: answer.id });
    })
    .catch((err) => {
      if (err instanceof SlipRefused) return invalid({ slip: 'surveyOnline.slip.wrong' });
      throw err;
    });
}

class SlipRefused extends Error {}

// ---------------------------------------------------------------------------------------------------------------
// Slips

/** Prints `count` new one-time codes for a unit (8 letters and digits each); its answers then need one. Audited. */
export async function createSlips(
  em: EntityManager,
  actor: Actor,
  campaignCode: string,
  unitCode: string,
  count: number,
): Promise<Outcome<{ codes: string[] }, 'invalid' | 'notFound'>> {
  if (!Number.isInteger(count) || count < 1 || count > 500)
    return invalid({ count: 'surveyOnline.slips.count.invalid' });
  return em.transactional(async (tx) => {
    const [link] = await tx.execute<{ campaign_id: number; unit_id: number }[]>(
      `select l.campaign_id, l.unit_id from survey_link l join campaign c on c.id = l.campaign_id
         join unit u on u.id = l.unit_id where c.code = ? and u.code = ?`,
      [campaignCode, unitCode],
    );
    if (!link) return refused('notFound');
    const codes = new Set<string>();
    while (codes.size < count) {
      const code = newShortCode(8);
      const inserted = await tx.execute<{ code: string }[]>(
        `insert into survey_slip (campaign_id, unit_id, code) values (?, ?, ?) on conflict do nothing returning code`,
        [link.campaign_id, link.unit_id, code],
      );
      if (inserted.length > 0) codes.add(code);
    }
    await tx.execute('update survey_link set slips_required = true where campaign_id = ? and unit_id = ?', [
      link.campaign_id,
      link.unit_id,
    ]);
    audit(tx, {
      actorId: actor.id,
      action: 'survey.slips.created',
      entityType: 'Campaign',
      entityId: link.campaign_id,
      after: { unit: unitCode, count },
    });
    return ok({ codes: [...codes] });
  });
}

/** A unit's slips not used yet, for printing again. */
export async function unusedSlips(em: EntityManager, campaignId: number, unitId: number): Promise<string[]> {
  const rows = await em.execute<{ code: string }[]>(
    'select code from survey_slip where campaign_id = ? and unit_id = ? and used_at is null order by created_at, code',
    [campaignId, unitId],
  );
  return rows.map((row) => row.code);
}

// ---------------------------------------------------------------------------------------------------------------
// Paper forms and voiding

/** One typed paper form: the group's position (1, 2…), the levels as digits in question order ("45543455"), a comment. */
export interface PaperRow {
  group: string;
  levels: string;
  comment: string;
}

export function paperFieldKey(field: keyof PaperRow, index: number): string {
  return `paper-${index}-${field}`;
}

/**
 * Saves typed paper forms of a unit, all or nothing; blank rows are skipped. Each row is checked as an online answer
 * would be. Audited once with the count.
 */
export async function enterPaperForms(
  em: EntityManager,
  actor: Actor,
  campaignCode: string,
  unitCode: string,
  rows: readonly PaperRow[],
  today = todayInVietnam(),
  opts: { byUnit?: boolean } = {},
): Promise<Outcome<{ saved: number }, 'invalid' | 'notFound'>> {
  return em.transactional(async (tx) => {
    const campaign = await tx.findOne(CampaignSchema, { code: campaignCode });
    if (!campaign) return refused('notFound');
    const [unit] = await tx.execute<{ id: number }[]>(
      `select u.id from campaign_unit cu join unit u on u.id = cu.unit_id where cu.campaign_id = ? and u.code = ?`,
      [campaign.id, unitCode],
    );
    if (!unit) return invalid({ unit: 'surveyOnline.paper.unit' });
    const settings = await settingsOf(tx, campaign.id);
    const groups = await groupsOf(tx, campaign.id);
    if (!settings || groups.length === 0) return invalid({ _form: 'surveyOnline.paper.noQuestionnaire' });
    // A unit types its own paper forms only where the campaign lets units do so.
    if (opts.byUnit && !settings.unitsTypePaper) return invalid({ _form: 'surveyOnline.paper.unitsMayNot' });
    if (frozenStates.includes(campaign.state)) return invalid({ _form: 'surveyOnline.frozen.campaign' });
    const errors: FieldErrors = {};
    const answers: { group: number; levels: number[]; comment: string | null }[] = [];
    rows.forEach((row, index) => {
      const digits = row.levels.replace(/\s+/g, '');
      if (row.group.trim() === '' && digits === '' && row.comment.trim() === '') return;
      const group =
        groups.find((g) => String(g.position) === row.group.trim()) ?? (groups.length === 1 ? groups[0] : undefined);
      if (!group) {
        errors[paperFieldKey('group', index)] = 'surveyOnline.answer.group';
        return;
      }
      if (
        !/^[0-5]*$/.test(digits) ||
        digits.length !== group.questions.length ||
        (!settings.noOpinion && digits.includes('0'))
      ) {
        errors[paperFieldKey('levels', index)] = settings.noOpinion
          ? 'surveyOnline.paper.levels.invalid'
          : 'surveyOnline.paper.levelsNoZero';
        return;
      }
      const comment = row.comment.normalize('NFC').trim();
      if (comment.length > 1000) {
        errors[paperFieldKey('comment', index)] = 'surveyOnline.answer.commentLong';
        return;
      }
      answers.push({ group: group.id, levels: [...digits].map(Number), comment: comment === '' ? null : comment });
    });
    if (Object.keys(errors).length > 0) return invalid(errors);
    if (answers.length === 0) return invalid({ _form: 'surveyOnline.paper.empty' });
    for (const answer of answers)
      await tx.execute(
        `insert into survey_answer (campaign_id, unit_id, group_id, source, levels, comment, answered_on, entered_by)
         values (?, ?, ?, 'paper', ?::smallint[], ?, ?, ?)`,
        [campaign.id, unit.id, answer.group, `{${answer.levels.join(',')}}`, answer.comment, today, actor.id],
      );
    audit(tx, {
      actorId: actor.id,
      action: 'survey.paper.entered',
      entityType: 'Campaign',
      entityId: campaign.id,
      after: { unit: unitCode, forms: answers.length, byUnit: opts.byUnit === true },
    });
    return ok({ saved: answers.length });
  });
}

/** Voids one answer with a reason (audited); it leaves the tallies. Refused once the campaign is approved. */
export async function voidAnswer(
  em: EntityManager,
  actor: Actor,
  campaignCode: string,
  answerId: string,
  reason: string,
): Promise<Outcome<{ unit: string }, 'invalid' | 'notFound'>> {
  const why = reason.normalize('NFC').trim();
  if (why === '') return invalid({ reason: 'surveyOnline.void.reason' });
  if (why.length > 500) return invalid({ reason: 'surveyOnline.void.reasonLong' });
  if (!/^\d{1,18}$/.test(answerId)) return refused('notFound');
  return em.transactional(async (tx) => {
    const campaign = await tx.findOne(CampaignSchema, { code: campaignCode });
    if (!campaign) return refused('notFound');
    if (frozenStates.includes(campaign.state)) return invalid({ _form: 'surveyOnline.frozen.campaign' });
    const [row] = await tx.execute<{ unit: string; voided: boolean }[]>(
      `select u.code as unit, a.voided_at is not null as voided from survey_answer a join unit u on u.id = a.unit_id
        where a.id = ? and a.campaign_id = ? for update of a`,
      [answerId, campaign.id],
    );
    if (!row) return refused('notFound');
    if (row.voided) return invalid({ _form: 'surveyOnline.void.already' });
    await tx.execute('update survey_answer set voided_at = now(), voided_by = ?, void_reason = ? where id = ?', [
      actor.id,
      why,
      answerId,
    ]);
    audit(tx, {
      actorId: actor.id,
      action: 'survey.answer.voided',
      entityType: 'SurveyAnswer',
      entityId: answerId,
      after: { unit: row.unit },
      reason: why,
    });
    return ok({ unit: row.unit });
  });
}
