import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignOverview, outstandingShown } from '../../src/features/council/overview.ts';
import { effectiveAgencyCte } from '../../src/features/appraisal/scope.ts';
import { seedDemoIfEmpty } from '../../src/features/demo/seed.ts';
import { freshOrm } from '../helpers/db.ts';

// The overview reads the outstanding list only from the items that can be in it (those with an explanation request,
// and state by state those of the first units in name order). Checked here against the plain definition: every
// undecided item of the campaign in the list's order, the first 50.

let orm: MikroORM;
let campaign: { id: number; code: string; criteriaSetId: number };
const today = '2026-06-15';

const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  orm.em.getConnection().execute<T[]>(text, params);

/** Every undecided item in the list's order, as the overview read them all before (the definition). */
async function everyOutstanding(): Promise<number[]> {
  const rows = await sql<{ id: number }>(
    `with recursive ${effectiveAgencyCte},
     items as (
       select a.id, a.state, cs.criterion_id, sa.unit_id, er.due_date,
              coalesce(a.state not in ('accepted', 'adjusted') and er.answered_at is null and er.due_date < ?::date, false) as late_explanation,
              coalesce(a.state not in ('accepted', 'adjusted') and k.appraisal_closes < ?::date, false) as late_phase
         from appraisal a join criterion_score cs on cs.id = a.criterion_score_id
         join self_assessment sa on sa.id = cs.self_assessment_id join campaign k on k.id = sa.campaign_id
         left join (select distinct on (r.appraisal_id) r.appraisal_id, r.due_date, r.answered_at from explanation_request r
                     order by r.appraisal_id, r.id desc) er on er.appraisal_id = a.id
        where sa.campaign_id = ?),
     ranked as (select u.id, row_number() over (order by u.name collate "vi-x-icu", u.code) as k
                  from campaign_unit cu join unit u on u.id = cu.unit_id where cu.campaign_id = ?)
     select i.id from items i join ranked r on r.id = i.unit_id join criterion c on c.id = i.criterion_id
      where i.state not in ('accepted', 'adjusted')
      order by i.late_explanation desc, i.late_phase desc, array_position(array['answered', 'waiting', 'todo'], i.state::text),
               i.due_date nulls last, r.k, c.position`,
    [campaign.criteriaSetId, today, today, campaign.id, campaign.id],
  );
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  orm = await freshOrm();
  await seedDemoIfEmpty(orm, today);
  // The demo district's campaign, every unit's self-assessment submitted.
  [campaign] = await sql<{ id: number; code: string; criteriaSetId: number }>(
    `select id, code, criteria_set_id as "criteriaSetId" from campaign where state not in ('published') order by id limit 1`,
  );
  await sql(`update self_assessment set state = 'submitted', submitted_at = now() where campaign_id = ?`, [
    campaign.id,
  ]);
  const [{ id: userId }] = await sql<{ id: number }>(
    `insert into app_user (username, full_name, password_hash, active, language, created_at)
     values ('td-kiemtra', 'Thẩm định viên kiểm tra', 'x', true, 'vi', now()) returning id`,
  );
  // Every score an item; states spread over the items by id: most decided, few asked about, so that the list runs on
  // over several units' items to do (a unit has fewer than the list shows, the campaign many more); requests on some: answered or not, due before or after today, some on items decided
  // since or left to do.
  await sql(
    `insert into appraisal (criterion_score_id, state, reason, version)
     select cs.id, 'todo', '', 1 from criterion_score cs join self_assessment sa on sa.id = cs.self_assessment_id
      where sa.campaign_id = ? on conflict (criterion_score_id) do nothing`,
    [campaign.id],
  );
  await sql(
    `update appraisal a set state = case when (a.id * 7919) % 331 = 0 then 'waiting' when (a.id * 7919) % 331 = 1 then 'answered'
                                    when (a.id * 7919) % 11 = 2 then 'todo' when (a.id * 7919) % 11 = 3 then 'adjusted' else 'accepted' end,
                           appraiser_id = ?
       from criterion_score cs join self_assessment sa on sa.id = cs.self_assessment_id
      where cs.id = a.criterion_score_id and sa.campaign_id = ?`,
    [userId, campaign.id],
  );
  await sql(
    `insert into explanation_request (appraisal_id, message, due_date, requested_by_id, requested_at, answer, answered_at)
     select a.id, 'Bổ sung tài liệu', date '2026-06-01' + ((a.id * 31) % 30), ?, now(),
            case when a.state = 'answered' or a.id % 5 = 0 then 'Đã bổ sung' end,
            case when a.state = 'answered' or a.id % 5 = 0 then now() end
       from appraisal a join criterion_score cs on cs.id = a.criterion_score_id join self_assessment sa on sa.id = cs.self_assessment_id
      where sa.campaign_id = ? and (a.state in ('waiting', 'answered') or a.id % 29 = 0)`,
    [userId, campaign.id],
  );
});
afterAll(async () => {
  await orm.close();
});

describe('the outstanding items of the council overview', () => {
  it.each([
    ['appraisal still open', '2026-12-31'],
    ['appraisal closed (every undecided item late)', '2026-06-01'],
  ])('are the first of every undecided item in the list order (%s)', async (_, closes) => {
    await sql('update campaign set appraisal_closes = ?::date where id = ?', [closes, campaign.id]);
    const every = await everyOutstanding();
    expect(every.length).toBeGreaterThan(outstandingShown * 3);
    // The list holds items to do of more than one unit after those asked about.
    const [{ units }] = await sql<{ units: number }>(
      `select count(distinct sa.unit_id)::int as units from appraisal a join criterion_score cs on cs.id = a.criterion_score_id
         join self_assessment sa on sa.id = cs.self_assessment_id where a.id = any(?::int[]) and a.state = 'todo'`,
      [`{${every.slice(0, outstandingShown).join(',')}}`],
    );
    expect(units).toBeGreaterThan(1);
    const overview = await campaignOverview(orm.em.fork(), campaign.code, today);
    expect(overview!.outstanding.items.map((i) => i.id)).toEqual(every.slice(0, outstandingShown));
    expect(overview!.outstanding.total).toBe(every.length);
  });
});
