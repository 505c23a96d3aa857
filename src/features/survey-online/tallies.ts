// Tallies of the online survey: per unit, group, question and level the count of answers that stand (voided ones
// left out), how many came online and on paper, and the survey tally the scoring core takes when the campaign's
// survey is collected online: satisfied ("Hài lòng", "Rất hài lòng") answers ÷ (respondents × questions) × maximum.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SurveyTally } from '../../domain/scoring.ts';
import { satisfiedFrom } from './answers.ts';
import { groupsOf, settingsOf, type SurveyGroup } from './questionnaire.ts';

export interface UnitSummary {
  unitId: number;
  online: number;
  paper: number;
  /** Answers of the five levels and "Không ý kiến" together, over all questions. */
  satisfied: number;
}

/** Per unit with answers: how many from each source and the satisfied answers. */
export async function unitSummaries(em: EntityManager, campaignId: number): Promise<Map<number, UnitSummary>> {
  const rows = await em.execute<{ unit_id: number; online: number; paper: number; satisfied: number }[]>(
    `select unit_id, count(*) filter (where source = 'online')::int as online,
            count(*) filter (where source = 'paper')::int as paper,
            coalesce(sum((select count(*) from unnest(levels) l where l >= ?)), 0)::int as satisfied
       from survey_answer where campaign_id = ? and voided_at is null group by unit_id`,
    [satisfiedFrom, campaignId],
  );
  return new Map(
    rows.map((r) => [r.unit_id, { unitId: r.unit_id, online: r.online, paper: r.paper, satisfied: r.satisfied }]),
  );
}

/** The questions every respondent is asked (the same in every group: the questionnaire keeps it so). */
export const questionsPerRespondent = (groups: readonly SurveyGroup[]): number => groups[0]?.questions.length ?? 8;

/** The tally of one unit's answers, as the scoring core takes it. */
export function tallyOf(summary: UnitSummary | undefined, questions: number): SurveyTally {
  return {
    respondents: (summary?.online ?? 0) + (summary?.paper ?? 0),
    satisfiedAnswers: summary?.satisfied ?? 0,
    questionsPerRespondent: questions,
  };
}

/**
 * When the campaign's survey is collected online, every assessed unit's tally from its answers (a unit without
 * answers has 0 respondents, hence 0 points); null when the campaign's survey is typed, so the typed tallies stand.
 */
export async function onlineTallies(em: EntityManager, campaignId: number): Promise<Map<number, SurveyTally> | null> {
  const settings = await settingsOf(em, campaignId);
  if (!settings?.online) return null;
  const questions = questionsPerRespondent(await groupsOf(em, campaignId));
  const summaries = await unitSummaries(em, campaignId);
  const units = await em.execute<{ unit_id: number }[]>('select unit_id from campaign_unit where campaign_id = ?', [
    campaignId,
  ]);
  return new Map(units.map((u) => [u.unit_id, tallyOf(summaries.get(u.unit_id), questions)]));
}

/** Counts of each level (index 0 "Không ý kiến", 1 … 5) for one question. */
export type LevelCounts = [number, number, number, number, number, number];

export interface QuestionTally {
  position: number;
  text: string;
  counts: LevelCounts;
}

export interface GroupTally {
  groupId: number;
  name: string;
  respondents: number;
  questions: QuestionTally[];
}

/** Per unit (by id) and group, each question's level counts from the answers that stand. */
export async function detailedTallies(
  em: EntityManager,
  campaignId: number,
  unitId?: number,
): Promise<Map<number, GroupTally[]>> {
  const groups = await groupsOf(em, campaignId);
  const rows = await em.execute<{ unit_id: number; group_id: number; position: number; level: number; n: number }[]>(
    `select a.unit_id, a.group_id, q.ord::int as position, q.level::int as level, count(*)::int as n
       from survey_answer a cross join lateral unnest(a.levels) with ordinality as q(level, ord)
      where a.campaign_id = ? and a.voided_at is null ${unitId === undefined ? '' : 'and a.unit_id = ?'}
      group by 1, 2, 3, 4`,
    unitId === undefined ? [campaignId] : [campaignId, unitId],
  );
  const respondents = await em.execute<{ unit_id: number; group_id: number; n: number }[]>(
    `select unit_id, group_id, count(*)::int as n from survey_answer
      where campaign_id = ? and voided_at is null ${unitId === undefined ? '' : 'and unit_id = ?'} group by 1, 2`,
    unitId === undefined ? [campaignId] : [campaignId, unitId],
  );
  const byUnit = new Map<number, GroupTally[]>();
  const tallyFor = (unit: number, groupId: number): GroupTally | undefined => {
    let list = byUnit.get(unit);
    if (!list) {
      list = groups.map((g) => ({
        groupId: g.id,
        name: g.name,
        respondents: 0,
        questions: g.questions.map((q) => ({ position: q.position, text: q.text, counts: [0, 0, 0, 0, 0, 0] })),
      }));
      byUnit.set(unit, list);
    }
    return list.find((g) => g.groupId === groupId);
  };
  for (const r of respondents) {
    const group = tallyFor(r.unit_id, r.group_id);
    if (group) group.respondents = r.n;
  }
  for (const r of rows) {
    const question = tallyFor(r.unit_id, r.group_id)?.questions.find((q) => q.position === r.position);
    if (question && r.level >= 0 && r.level <= 5) question.counts[r.level] = r.n;
  }
  return byUnit;
}

/** The share of satisfied answers among all answers of a question (in %, as a decimal string with one decimal). */
export function satisfactionRate(counts: LevelCounts): string | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const satisfied = counts.slice(satisfiedFrom).reduce((a, b) => a + b, 0);
  return (Math.round((satisfied * 1000) / total) / 10).toFixed(1);
}
