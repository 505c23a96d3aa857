import { startTestApp, type TestApp } from './app.ts';
import type { MikroORM } from '@mikro-orm/postgresql';
import { todayInVietnam } from '../../src/domain/dates.ts';

/** Puts a demo unit's self-assessment in the state a submission leaves it: every leaf scored at `fraction` of its maximum, submitted, appraisal items open. */
export async function submitUnitBySql(orm: MikroORM, unitCode: string, fraction = 1): Promise<void> {
  const em = orm.em.fork();
  await em.execute(
    `update criterion_score cs set self_score = round(c.max_score * ?, 2), explanation = 'Kế hoạch số 10/KH-UBND, mục 2, trang 3', version = version + 1
       from criterion c, self_assessment sa, unit u
      where c.id = cs.criterion_id and sa.id = cs.self_assessment_id and u.id = sa.unit_id and u.code = ? and c.kind = 'self'`,
    [fraction, unitCode],
  );
  await em.execute(
    `update self_assessment sa set state = 'submitted', submitted_at = now(), submitted_by_id = (select id from app_user where username = 'chutichxa')
       from unit u where u.id = sa.unit_id and u.code = ?`,
    [unitCode],
  );
  await em.execute(
    `insert into appraisal (criterion_score_id, state, reason, version)
     select cs.id, 'todo', '', 1 from criterion_score cs join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id
      where u.code = ? on conflict do nothing`,
    [unitCode],
  );
}

/** As the secretariat's phase change does: opening appraisal before its planned date opens the window that day. */
export async function setCampaignState(orm: MikroORM, state: string): Promise<void> {
  await orm.em
    .fork()
    .execute(
      `update campaign set state = ?, appraisal_opens = case when ? = 'appraisal' then least(appraisal_opens, ?::date) else appraisal_opens end`,
      [state, state, todayInVietnam()],
    );
}

/** The demo app with Xã Trực Thanh submitted and the campaign in appraisal, and the addresses its routes need. */
export async function startAppraisalApp(): Promise<{ t: TestApp; code: string; itemId: number; criterionId: number }> {
  const t = await startTestApp();
  await submitUnitBySql(t.orm, 'xa-truc-thanh');
  await setCampaignState(t.orm, 'appraisal');
  const em = t.orm.em.fork();
  const [c] = await em.execute('select code from campaign limit 1');
  const [a] = await em.execute(
    `select a.id from appraisal a join criterion_score cs on cs.id = a.criterion_score_id join criterion c on c.id = cs.criterion_id where c.code = '1.1.1'`,
  );
  const [cr] = await em.execute(`select id from criterion where code = '1.1.1'`);
  return { t, code: c.code, itemId: a.id, criterionId: cr.id };
}
