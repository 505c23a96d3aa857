import type { MikroORM } from '@mikro-orm/postgresql';
import { dec, format, type Dec } from '../../domain/decimal.ts';
import { ruleOf } from '../../domain/declared.ts';
import { publishCampaign } from '../publication/publish.ts';
import { openSelfAssessment, scoredLeaves } from '../self-assessment/open.ts';
import { AppraisalSchema } from '../../db/entities/index.ts';
import { audit } from '../../db/audit.ts';
import { demoCampaign } from './data.ts';

/** A small deterministic generator, so that every fresh demo shows the same past year. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Last year's campaign of the demo district, fully scored, appraised, surveyed and published, so that a new portal
 * has a public index to read and this year's pages a year to compare with. Only for the demo, on first start.
 */
export async function seedPublishedPastYear(orm: MikroORM, year: number): Promise<string> {
  const em = orm.em.fork();
  const code = `truc-ninh-${year}`;
  const random = mulberry32(year);
  return em.transactional(async (tx) => {
    const [current] = await tx.execute<{ criteria_set_id: number; composition: unknown; bands: unknown }[]>(
      'select criteria_set_id, composition, bands from campaign order by id limit 1',
    );
    const [{ id: campaignId }] = await tx.execute<{ id: number }[]>(
      `insert into campaign (code, name, year, organizer, decision, criteria_set_id, composition, bands, precision, rounding, state, created_at,
                             self_assessment_opens, self_assessment_closes, appraisal_opens, appraisal_closes, publish_by, approval_decision, approval_date, approved_at)
       values (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, 2, 'half-up', 'approved', now(), ?, ?, ?, ?, ?, ?, ?, now()) returning id`,
      [
        code,
        demoCampaign.name.replace(String(demoCampaign.year), String(year)),
        year,
        demoCampaign.organizer,
        `Kế hoạch số 120/KH-UBND năm ${year}`,
        current.criteria_set_id,
        JSON.stringify(current.composition),
        JSON.stringify(current.bands),
        `${year}-12-12`,
        `${year}-12-20`,
        `${year}-12-23`,
        `${year}-12-27`,
        `${year + 1}-01-15`,
        `09/QĐ-UBND`,
        `${year + 1}-01-12`,
      ],
    );
    const criteria = await tx.execute<
      { id: number; code: string; kind: string; min_score: string; max_score: string; scoring: string | null }[]
    >(
      'select id, code, kind, min_score, max_score, scoring from criterion where criteria_set_id = ? order by position, code',
      [current.criteria_set_id],
    );
    const leaves = scoredLeaves(criteria);
    const units = await tx.execute<{ id: number }[]>(`select id from unit where parent_id is not null order by code`);
    for (const unit of units) {
      const strength = 0.62 + random() * 0.36;
      await tx.execute(`insert into campaign_unit (campaign_id, unit_id) values (?, ?)`, [campaignId, unit.id]);
      const answers = leaves.map((leaf) => {
        const appraised = scoreFor(leaf, strength + (random() - 0.5) * 0.3);
        const self = random() < 0.8 ? appraised : scoreFor(leaf, strength + 0.2);
        return { leaf, appraised, self };
      });
      const { scores } = openSelfAssessment(
        tx,
        campaignId,
        unit.id,
        answers.map(({ leaf, self }) => ({
          criterion: leaf.id,
          selfScore: leaf.kind === 'self' ? self : null,
          explanation: 'Theo báo cáo năm của UBND xã',
          notApplicable: false,
        })),
        { submittedAt: new Date(`${year}-12-19T09:00:00Z`) },
      );
      answers.forEach(({ leaf, appraised, self }, i) => {
        const differs = leaf.kind === 'self' && self !== appraised;
        tx.create(AppraisalSchema, {
          criterionScore: scores[i]!,
          appraisedScore: appraised,
          reason: differs ? 'Tài liệu kiểm chứng chưa thể hiện đầy đủ kết quả' : '',
          state: differs ? 'adjusted' : 'accepted',
          updatedAt: new Date(`${year}-12-26T09:00:00Z`),
        });
      });
      const respondents = 60 + Math.floor(random() * 60);
      const satisfied = Math.floor(respondents * 8 * (0.6 + random() * 0.38));
      await tx.execute(
        `insert into survey_result (campaign_id, unit_id, respondents, satisfied_answers, questions_per_respondent) values (?, ?, ?, ?, 8)`,
        [campaignId, unit.id, respondents, satisfied],
      );
    }
    audit(tx, {
      actorId: null,
      action: 'demo.seeded-past-year',
      entityType: 'Campaign',
      entityId: campaignId,
      after: { code },
    });
    await tx.flush();
    const outcome = await publishCampaign(tx, null, code, { now: new Date(`${year + 1}-01-15T02:00:00Z`) });
    if (!outcome.ok) throw new Error(`demo past year did not publish: ${JSON.stringify(outcome.errors)}`);
    return code;
  });
}

/** A plausible score: the level, threshold or share nearest `share` of the maximum, within the leaf's range. */
function scoreFor(leaf: { min_score: string; max_score: string; scoring: string | null }, share: number): string {
  const max = dec(leaf.max_score);
  const min = dec(leaf.min_score);
  if (min < 0n) return share > 0.8 ? '0' : format(min);
  const rule = ruleOf({ scoring: leaf.scoring, minScore: leaf.min_score, maxScore: leaf.max_score });
  const clamped = Math.min(1, Math.max(0, share));
  if (rule?.kind === 'levels')
    return format(
      pick(
        rule.levels.map((l) => l.points),
        clamped,
        max,
      ),
    );
  if (rule?.kind === 'ratio')
    return format(
      pick(
        rule.thresholds.map((t) => t.points),
        clamped,
        max,
      ),
    );
  const hundredths = Math.round(Number(leaf.max_score) * clamped * 4) / 4;
  return format(dec(hundredths.toFixed(2)));
}

function pick(points: Dec[], share: number, max: Dec): Dec {
  const target = Number(format(max)) * share;
  return points.reduce(
    (best, p) => (Math.abs(Number(format(p)) - target) < Math.abs(Number(format(best)) - target) ? p : best),
    points[0]!,
  );
}
