// The secretariat's questionnaire of a campaign's online survey (issue 17): respondent groups, the questions each is
// asked (the usual 8, copied from the previous campaign when there is one), the window the form is open, whether
// "Không ý kiến" is offered, whether the survey's tallies come from the answers (`online`), and a short address per
// assessed unit. The questions freeze once the first answer arrives; the settings stay editable.
import { randomInt } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../../db/audit.ts';
import { CampaignSchema } from '../../db/entities/index.ts';
import { calendarDateProblem, parseCalendarDate } from '../../domain/dates.ts';
import type { CampaignState } from '../../domain/workflow.ts';
import type { FieldErrors } from '../../domain/message.ts';
import type { Actor } from '../criteria-sets.ts';
import { invalid, ok, type Outcome } from '../outcome.ts';

/** The usual questions of the one-stop desk's satisfaction survey (SIPAS), the first campaign's default. */
export const usualQuestions = [
  'Việc tiếp cận thông tin về thủ tục hành chính',
  'Cơ sở vật chất, trang thiết bị tại Bộ phận một cửa',
  'Việc công khai thủ tục hành chính (hồ sơ, phí, lệ phí, thời hạn giải quyết)',
  'Thái độ giao tiếp, ứng xử của công chức tiếp nhận hồ sơ',
  'Sự thành thạo của công chức khi hướng dẫn và giải quyết hồ sơ',
  'Thời gian giải quyết so với giấy hẹn',
  'Kết quả giải quyết đúng quy định, chính xác',
  'Việc tiếp nhận và xử lý góp ý, phản ánh, kiến nghị',
] as const;
export const usualGroups = ['Người dân', 'Tổ chức, doanh nghiệp'] as const;

/** Campaign states in which nothing of the survey changes: the chair's approval and the publication rest on it. */
export const frozenStates: readonly CampaignState[] = ['approved', 'published'];

export interface SurveyGroup {
  id: number;
  position: number;
  name: string;
  questions: { id: number; position: number; text: string }[];
}

export interface SurveySettings {
  online: boolean;
  opensOn: string | null;
  closesOn: string | null;
  noOpinion: boolean;
  unitsTypePaper: boolean;
}

export interface Questionnaire {
  campaign: { id: number; code: string; name: string; state: CampaignState };
  /** Null before the secretariat saved one. */
  settings: SurveySettings | null;
  groups: SurveyGroup[];
  /** Answers received (voided ones too): once there is one the questions are frozen. */
  answers: number;
  /** Per assessed unit its short code (null before the questionnaire is saved) and whether it asks for slips. */
  units: { id: number; code: string; name: string; shortCode: string | null; slipsRequired: boolean }[];
  /** Where an unsaved questionnaire's groups come from: the previous campaign's, else the usual ones. */
  copiedFrom: { code: string; name: string } | null;
}

export const defaultSettings: SurveySettings = {
  online: false,
  opensOn: null,
  closesOn: null,
  noOpinion: true,
  unitsTypePaper: false,
};

const isoDate = (value: unknown): string | null =>
  value === null || value === undefined
    ? null
    : value instanceof Date
      ? value.toISOString().slice(0, 10)
      : String(value).slice(0, 10);

/** The groups of a campaign with their questions, in order. */
export async function groupsOf(em: EntityManager, campaignId: number): Promise<SurveyGroup[]> {
  const rows = await em.execute<
    {
      id: number;
      position: number;
      name: string;
      q_id: number | null;
      q_position: number | null;
      text: string | null;
    }[]
  >(
    `select g.id, g.position, g.name, q.id as q_id, q.position as q_position, q.text
       from survey_group g left join survey_question q on q.group_id = g.id
      where g.campaign_id = ? order by g.position, q.position`,
    [campaignId],
  );
  const groups = new Map<number, SurveyGroup>();
  for (const row of rows) {
    let group = groups.get(row.id);
    if (!group) {
      group = { id: row.id, position: row.position, name: row.name, questions: [] };
      groups.set(row.id, group);
    }
    if (row.q_id !== null) group.questions.push({ id: row.q_id, position: row.q_position!, text: row.text! });
  }
  return [...groups.values()];
}

export async function settingsOf(em: EntityManager, campaignId: number): Promise<SurveySettings | null> {
  const [row] = await em.execute<
    { online: boolean; opens_on: unknown; closes_on: unknown; no_opinion: boolean; units_type_paper: boolean }[]
  >(
    `select online, opens_on::text, closes_on::text, no_opinion, units_type_paper from survey_settings where campaign_id = ?`,
    [campaignId],
  );
  if (!row) return null;
  return {
    online: row.online,
    opensOn: isoDate(row.opens_on),
    closesOn: isoDate(row.closes_on),
    noOpinion: row.no_opinion,
    unitsTypePaper: row.units_type_paper,
  };
}

export async function loadQuestionnaire(em: EntityManager, campaignCode: string): Promise<Questionnaire | null> {
  const campaign = await em.findOne(CampaignSchema, { code: campaignCode });
  if (!campaign) return null;
  const settings = await settingsOf(em, campaign.id);
  let groups = await groupsOf(em, campaign.id);
  let copiedFrom: Questionnaire['copiedFrom'] = null;
  if (groups.length === 0) {
    const [previous] = await em.execute<{ id: number; code: string; name: string }[]>(
      `select c.id, c.code, c.name from campaign c
        where c.id <> ? and exists (select 1 from survey_group g where g.campaign_id = c.id)
        order by c.year desc, c.id desc limit 1`,
      [campaign.id],
    );
    if (previous) {
      groups = (await groupsOf(em, previous.id)).map((group) => ({ ...group, id: 0 }));
      copiedFrom = { code: previous.code, name: previous.name };
    } else
      groups = usualGroups.map((name, i) => ({
        id: 0,
        position: i + 1,
        name,
        questions: usualQuestions.map((text, j) => ({ id: 0, position: j + 1, text })),
      }));
  }
  const [{ count }] = await em.execute<{ count: string }[]>(
    'select count(*) as count from survey_answer where campaign_id = ?',
    [campaign.id],
  );
  const units = await em.execute<
    { id: number; code: string; name: string; short_code: string | null; slips_required: boolean | null }[]
  >(
    `select u.id, u.code, u.name, l.code as short_code, l.slips_required
       from campaign_unit cu join unit u on u.id = cu.unit_id
       left join survey_link l on l.campaign_id = cu.campaign_id and l.unit_id = cu.unit_id
      where cu.campaign_id = ? order by u.name collate "vi-x-icu", u.code`,
    [campaign.id],
  );
  return {
    campaign: { id: campaign.id, code: campaign.code, name: campaign.name, state: campaign.state },
    settings,
    groups,
    answers: Number(count),
    units: units.map((u) => ({
      id: u.id,
      code: u.code,
      name: u.name,
      shortCode: u.short_code,
      slipsRequired: u.slips_required === true,
    })),
    copiedFrom,
  };
}

/** What the questionnaire form sends: the settings as typed, and per group its name and questions one per line. */
export interface QuestionnaireInput {
  online: boolean;
  opensOn: string;
  closesOn: string;
  noOpinion: boolean;
  unitsTypePaper: boolean;
  groups: { name: string; questions: string }[];
  /** Units (by code) whose answers need a one-time code from a printed slip. */
  slipUnits: string[];
}

const linesOf = (text: string) =>
  text
    .normalize('NFC')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

/** A short code for the address /ks/<code>: letters and digits that cannot be mistaken for each other. */
const codeAlphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
export function newShortCode(length = 6): string {
  let code = '';
  for (let i = 0; i < length; i++) code += codeAlphabet[randomInt(codeAlphabet.length)];
  return code;
}

export function groupFieldKey(field: 'name' | 'questions', index: number): string {
  return `group-${index}-${field}`;
}

/**
 * Saves the settings and (while no answer has arrived) the groups and questions, all or nothing; gives every assessed
 * unit its short address. Errors by field: `opensOn`, `closesOn`, `group-N-name`, `group-N-questions`, `_form`.
 */
export async function saveQuestionnaire(
  em: EntityManager,
  actor: Actor,
  campaignCode: string,
  input: QuestionnaireInput,
): Promise<Outcome<{ frozen: boolean }, 'invalid' | 'notFound'>> {
  return em.transactional(async (tx) => {
    const campaign = await tx.findOne(CampaignSchema, { code: campaignCode }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!campaign) return { ok: false as const, kind: 'notFound' as const };
    const errors: FieldErrors = {};
    if (frozenStates.includes(campaign.state)) errors._form = 'surveyOnline.frozen.campaign';
    const dates: Record<'opensOn' | 'closesOn', string | null> = { opensOn: null, closesOn: null };
    for (const field of ['opensOn', 'closesOn'] as const) {
      const text = input[field].trim();
      if (text === '') continue;
      const problem = calendarDateProblem(text);
      if (problem) errors[field] = problem === 'format' ? 'surveyOnline.date.format' : 'surveyOnline.date.nonexistent';
      else dates[field] = parseCalendarDate(text);
    }
    if (dates.opensOn && dates.closesOn && dates.closesOn < dates.opensOn) errors.closesOn = 'surveyOnline.date.order';
    if (input.online && (!dates.opensOn || !dates.closesOn)) {
      if (!dates.opensOn && !errors.opensOn) errors.opensOn = 'surveyOnline.date.required';
      if (!dates.closesOn && !errors.closesOn) errors.closesOn = 'surveyOnline.date.required';
    }
    const [{ count }] = await tx.execute<{ count: string }[]>(
      'select count(*) as count from survey_answer where campaign_id = ?',
      [campaign.id],
    );
    const frozen = Number(count) > 0;
    const groups = input.groups
      .map((group, index) => ({ index, name: group.name.normalize('NFC').trim(), questions: linesOf(group.questions) }))
      .filter((group) => group.name !== '' || group.questions.length > 0);
    if (!frozen) {
      if (groups.length === 0) errors._form = 'surveyOnline.groups.required';
      for (const group of groups) {
        if (group.name === '') errors[groupFieldKey('name', group.index)] = 'surveyOnline.group.nameRequired';
        else if (group.name.length > 200) errors[groupFieldKey('name', group.index)] = 'surveyOnline.group.nameLong';
        if (group.questions.length === 0)
          errors[groupFieldKey('questions', group.index)] = 'surveyOnline.group.questionsRequired';
        else if (group.questions.some((q) => q.length > 500))
          errors[groupFieldKey('questions', group.index)] = 'surveyOnline.group.questionLong';
        else if (group.questions.length > 30)
          errors[groupFieldKey('questions', group.index)] = 'surveyOnline.group.questionsMany';
        // The formula divides by respondents × questions: every group is asked as many questions.
        else if (group.questions.length !== groups[0]!.questions.length)
          errors[groupFieldKey('questions', group.index)] = 'surveyOnline.group.questionsSame';
      }
    }
    if (Object.keys(errors).length > 0) return invalid(errors);

    const before = { settings: await settingsOf(tx, campaign.id), groups: await groupsOf(tx, campaign.id) };
    const settings: SurveySettings = {
      online: input.online,
      opensOn: dates.opensOn,
      closesOn: dates.closesOn,
      noOpinion: input.noOpinion,
      unitsTypePaper: input.unitsTypePaper,
    };
    await tx.execute(
      `insert into survey_settings (campaign_id, online, opens_on, closes_on, no_opinion, units_type_paper)
       values (?, ?, ?, ?, ?, ?)
       on conflict (campaign_id) do update set online = excluded.online, opens_on = excluded.opens_on,
         closes_on = excluded.closes_on, no_opinion = excluded.no_opinion,
         units_type_paper = excluded.units_type_paper, updated_at = now()`,
      [campaign.id, settings.online, settings.opensOn, settings.closesOn, settings.noOpinion, settings.unitsTypePaper],
    );
    if (!frozen) {
      await tx.execute('delete from survey_group where campaign_id = ?', [campaign.id]);
      for (const [i, group] of groups.entries()) {
        const [{ id }] = await tx.execute<{ id: number }[]>(
          'insert into survey_group (campaign_id, position, name) values (?, ?, ?) returning id',
          [campaign.id, i + 1, group.name],
        );
        for (const [j, text] of group.questions.entries())
          await tx.execute('insert into survey_question (group_id, position, text) values (?, ?, ?)', [
            id,
            j + 1,
            text,
          ]);
      }
    }
    // Every assessed unit gets its short address once; a clash of random codes is simply drawn again.
    const units = await tx.execute<{ unit_id: number; code: string }[]>(
      `select cu.unit_id, u.code from campaign_unit cu join unit u on u.id = cu.unit_id
        where cu.campaign_id = ? and not exists
          (select 1 from survey_link l where l.campaign_id = cu.campaign_id and l.unit_id = cu.unit_id)`,
      [campaign.id],
    );
    for (const unit of units) {
      for (let attempt = 0; ; attempt++) {
        const inserted = await tx.execute<{ code: string }[]>(
          `insert into survey_link (campaign_id, unit_id, code) values (?, ?, ?) on conflict (code) do nothing returning code`,
          [campaign.id, unit.unit_id, newShortCode(attempt < 5 ? 6 : 8)],
        );
        if (inserted.length > 0) break;
      }
    }
    await tx.execute(
      `update survey_link l set slips_required = u.code = any(string_to_array(?, ','))
         from unit u where u.id = l.unit_id and l.campaign_id = ?`,
      [input.slipUnits.join(','), campaign.id],
    );
    audit(tx, {
      actorId: actor.id,
      action: 'survey.questionnaire.saved',
      entityType: 'Campaign',
      entityId: campaign.id,
      before,
      after: { settings, groups: frozen ? undefined : groups, slipUnits: input.slipUnits },
    });
    return ok({ frozen });
  });
}
