import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Issue 23's demo (seed 003's row 18, "Các tiêu chí nhiều người thực hiện"): Xã Trực Thanh's bodies (HĐND, UB MTTQ,
 * Ban Thanh tra nhân dân; the Front marked as unable to sign digitally) and criterion 4.3.1 given to the three bodies
 * and the reform officer, due a week before the self-assessment closes. The bodies' contact persons are left for the
 * officer to choose, so that the contributor's own list stays empty until then.
 */
export async function seedHandsDemo(em: EntityManager, campaignId: number): Promise<void> {
  await em.execute(
    `insert into unit_body (unit_id, name, cannot_sign_digitally)
     select u.id, b.name, b.cannot from unit u
       cross join (values ('HĐND xã', false), ('UB MTTQ xã', true), ('Ban Thanh tra nhân dân', false)) as b(name, cannot)
      where u.code = 'xa-truc-thanh'`,
  );
  await em.execute(
    `with score as (
       select cs.id, c.self_assessment_closes - 7 as due from criterion_score cs
         join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id
         join criterion cr on cr.id = cs.criterion_id join campaign c on c.id = sa.campaign_id
        where sa.campaign_id = ? and u.code = 'xa-truc-thanh' and cr.code = '4.3.1')
     insert into criterion_assignment (criterion_score_id, user_id, body_id, due_date)
     select score.id, null, b.id, score.due from score, unit_body b join unit u on u.id = b.unit_id where u.code = 'xa-truc-thanh'
     union all
     select score.id, a.id, null, score.due from score, app_user a where a.username = 'canbo'`,
    [campaignId],
  );
}
