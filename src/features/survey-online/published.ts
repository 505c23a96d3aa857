// The online survey's results for everyone, once the campaign is published: per unit, group and question the counts
// of each level and the satisfaction rate, a survey ranking within each block, and the counts as open data. Nothing
// else leaves: no comment, no time, no hash. Answers cannot change after the chair's approval (the form, voiding and
// paper entry all refuse it), so what is shown after publication is what the index was computed from.
import type { EntityManager } from '@mikro-orm/postgresql';
import { csvLine } from '../../domain/csv.ts';
import { satisfiedFrom } from './answers.ts';
import { groupsOf, settingsOf, type SurveyGroup } from './questionnaire.ts';
import { detailedTallies, type GroupTally, questionsPerRespondent } from './tallies.ts';

export interface PublishedSurveyUnit {
  code: string;
  name: string;
  block: string | null;
  respondents: number;
  /** Satisfied answers ÷ (respondents × questions), in % with one decimal; null without answers. */
  rate: number | null;
  /** Rank within its block by rate (ties share a rank); null without answers. */
  rank: number | null;
  groups: GroupTally[];
}

export interface PublishedSurvey {
  campaign: { id: number; code: string; name: string };
  groups: SurveyGroup[];
  questions: number;
  /** In Vietnamese alphabetical order. */
  units: PublishedSurveyUnit[];
  /** Every unit's answers together, per group and question. */
  overall: GroupTally[];
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** The published survey of a campaign, or null when it is not published or had no online questionnaire. */
export async function publishedSurvey(em: EntityManager, campaignCode: string): Promise<PublishedSurvey | null> {
  const [campaign] = await em.execute<{ id: number; code: string; name: string }[]>(
    `select id, code, name from campaign where code = ? and state = 'published'`,
    [campaignCode],
  );
  if (!campaign) return null;
  const settings = await settingsOf(em, campaign.id);
  const groups = await groupsOf(em, campaign.id);
  if (!settings || groups.length === 0) return null;
  const questions = questionsPerRespondent(groups);
  const tallies = await detailedTallies(em, campaign.id);
  const rows = await em.execute<{ id: number; code: string; name: string; block: string | null }[]>(
    `select u.id, u.code, u.name, cu.block from campaign_unit cu join unit u on u.id = cu.unit_id
      where cu.campaign_id = ? order by u.name collate "vi-x-icu", u.code`,
    [campaign.id],
  );
  const empty = (): GroupTally[] =>
    groups.map((g) => ({
      groupId: g.id,
      name: g.name,
      respondents: 0,
      questions: g.questions.map((q) => ({ position: q.position, text: q.text, counts: [0, 0, 0, 0, 0, 0] })),
    }));
  const units: PublishedSurveyUnit[] = rows.map((row) => {
    const unitGroups = tallies.get(row.id) ?? empty();
    const respondents = unitGroups.reduce((sum, g) => sum + g.respondents, 0);
    const satisfied = unitGroups.reduce(
      (sum, g) => sum + g.questions.reduce((s, q) => s + q.counts.slice(satisfiedFrom).reduce((a, b) => a + b, 0), 0),
      0,
    );
    return {
      code: row.code,
      name: row.name,
      block: row.block,
      respondents,
      rate: respondents === 0 ? null : round1((satisfied * 100) / (respondents * questions)),
      rank: null,
      groups: unitGroups,
    };
  });
  // Ranks within each block, by rate (the exact fraction would order the same as the rounded rate but for ties).
  const blocks = new Map<string | null, PublishedSurveyUnit[]>();
  for (const unit of units) if (unit.rate !== null) blocks.set(unit.block, [...(blocks.get(unit.block) ?? []), unit]);
  for (const members of blocks.values()) {
    members.sort((a, b) => b.rate! - a.rate!);
    members.forEach((unit, i) => {
      unit.rank = i > 0 && members[i - 1]!.rate === unit.rate ? members[i - 1]!.rank : i + 1;
    });
  }
  const overall = empty();
  for (const unit of units)
    unit.groups.forEach((g, i) => {
      overall[i]!.respondents += g.respondents;
      g.questions.forEach((q, j) => {
        q.counts.forEach((n, level) => {
          overall[i]!.questions[j]!.counts[level]! += n;
        });
      });
    });
  return { campaign, groups, questions, units, overall };
}

/** The open data of the tallies: one CSV line per unit, group and question, counts only (docs/open-data.md). */
export function surveyCsv(survey: PublishedSurvey): string {
  const lines = [
    csvLine([
      'unit_code',
      'unit_name',
      'group',
      'question_no',
      'question',
      'respondents',
      'very_dissatisfied',
      'dissatisfied',
      'neutral',
      'satisfied',
      'very_satisfied',
      'no_opinion',
    ]),
  ];
  for (const unit of survey.units)
    for (const group of unit.groups)
      for (const q of group.questions)
        lines.push(
          csvLine([
            unit.code,
            unit.name,
            group.name,
            q.position,
            q.text,
            group.respondents,
            q.counts[1],
            q.counts[2],
            q.counts[3],
            q.counts[4],
            q.counts[5],
            q.counts[0],
          ]),
        );
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Whether a published campaign has an online survey to show (its pages then link to it). */
export async function hasPublishedSurvey(em: EntityManager, campaignCode: string): Promise<boolean> {
  const rows = await em.execute<{ one: number }[]>(
    `select 1 as one from campaign c where c.code = ? and c.state = 'published'
        and exists (select 1 from survey_group g where g.campaign_id = c.id)
        and exists (select 1 from survey_settings s where s.campaign_id = c.id)`,
    [campaignCode],
  );
  return rows.length > 0;
}
