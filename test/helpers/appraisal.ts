import type { MikroORM } from '@mikro-orm/postgresql';

/** Puts a demo unit's self-assessment in the state a submission leaves it: every leaf scored at `fraction` of its maximum, submitted, appraisal items open. */
export async function submitUnitBySql(orm: MikroORM, unitCode: string, fraction = 1): Promise<void> {
  const em = orm.em.fork();
  await em.execute(
    `update criterion_score cs set self_score = round(c.max_score * ?, 2), explanation = 'Kế hoạch số 10/KH-UBND, mục 2, trang 3', version = version + 1
       from criterion c, self_assessment sa, unit u
      where c.id = cs.criterion_id and sa.id = cs.self_assessment_id and u.id = sa.unit_id and u.code = ? and c.kind = 'self'`, [fraction, unitCode]);
  await em.execute(
    `update self_assessment sa set state = 'submitted', submitted_at = now(), submitted_by_id = (select id from app_user where username = 'chutichxa')
       from unit u where u.id = sa.unit_id and u.code = ?`, [unitCode]);
  await em.execute(
    `insert into appraisal (criterion_score_id, state, reason, version)
     select cs.id, 'todo', '', 1 from criterion_score cs join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id
      where u.code = ? on conflict do nothing`, [unitCode]);
}

export async function setCampaignState(orm: MikroORM, state: string): Promise<void> {
  await orm.em.fork().execute('update campaign set state = ?', [state]);
}
