// Reminders before a phase closes (issue 16, item 3): on each day named by the campaign's reminder_days ("3,1": three
// days and one day before), the units that have not submitted hear that self-assessment closes in N days, and the
// appraisers of each agency with items left hear that appraisal does. A reminder is written once: the row of
// reminder_run (campaign, phase, days before) is inserted in the same statement as its notices, `on conflict do
// nothing`, so a second instance or a restarted process writes nothing more. Each kind is one statement for all
// recipients, like every notice (src/features/notices.ts). On the morning answers to requests for explanation are
// due, the units that have not answered hear it too (reminder_run phase "answers:<date>").
import type { EntityManager } from '@mikro-orm/postgresql';
import { grouped, unitPeople } from './notices.ts';
import { criterionHolders } from './self-assessment/hands.ts';

const dueOn = (column: string, phase: string) => `
  due as (
    insert into reminder_run (campaign_id, phase, days_before)
    select c.id, '${phase}', c.${column} - ?::date
      from campaign c
     where c.state = '${phase}' and not c.practice and c.${column} is not null
       and (c.${column} - ?::date) = any(string_to_array(nullif(c.reminder_days, ''), ',')::int[])
    on conflict do nothing
    returning campaign_id, days_before)`;

/** Writes the reminders due on `today` (YYYY-MM-DD, Asia/Ho_Chi_Minh); returns how many notices were written. */
export async function writeDueReminders(em: EntityManager, today: string): Promise<number> {
  const units = await em.execute<{ id: string }[]>(
    `with ${dueOn('self_assessment_closes', 'self-assessment')}
     insert into notice (recipient_id, kind, campaign_id, group_key, params)
     select distinct on (ra.user_id, u.id) ra.user_id, 'selfAssessmentClosing', c.id,
            'closing:' || c.id || ':' || u.id,
            jsonb_build_object('campaign', c.code, 'campaignName', c.name, 'unit', u.code, 'unitName', u.name,
                               'days', due.days_before, 'closes', to_char(c.self_assessment_closes, 'DD/MM/YYYY'))
       from due
       join campaign c on c.id = due.campaign_id
       join campaign_unit cu on cu.campaign_id = c.id
       join unit u on u.id = cu.unit_id
       ${unitPeople}
      where not exists (select 1 from self_assessment sa
                         where sa.campaign_id = c.id and sa.unit_id = u.id and sa.state <> 'draft')
     ${grouped}
     returning id::text as id`,
    [today, today],
  );
  const agencies = await em.execute<{ id: string }[]>(
    `with ${dueOn('appraisal_closes', 'appraisal')},
     left_items as (
       select sa.campaign_id, cr.agency_id, count(*)::int as items
         from due
         join self_assessment sa on sa.campaign_id = due.campaign_id
         join criterion_score cs on cs.self_assessment_id = sa.id
         join appraisal a on a.criterion_score_id = cs.id
         join criterion cr on cr.id = cs.criterion_id
        where a.state in ('todo', 'answered')
        group by sa.campaign_id, cr.agency_id)
     insert into notice (recipient_id, kind, campaign_id, group_key, params)
     select distinct on (ra.user_id, ag.id) ra.user_id, 'appraisalClosing', c.id,
            'closing:' || c.id || ':agency:' || ag.id,
            jsonb_build_object('campaign', c.code, 'campaignName', c.name, 'agencyName', ag.name, 'items', li.items,
                               'days', due.days_before, 'closes', to_char(c.appraisal_closes, 'DD/MM/YYYY'))
       from due
       join campaign c on c.id = due.campaign_id
       join left_items li on li.campaign_id = c.id
       join agency ag on ag.id = li.agency_id
       join role_assignment ra on ra.role = 'appraiser' and ra.agency_id = ag.id
       join app_user au on au.id = ra.user_id and au.active
     ${grouped}
     returning id::text as id`,
    [today, today],
  );
  // The morning answers are due: each unit with requests due today and not answered, to its officers and heads
  // (and the person each criterion is assigned to), one notice per unit counting the requests.
  const answers = await em.execute<{ id: string }[]>(
    `with open_request as (
       select sa.campaign_id, sa.unit_id, cs.id as score_id
         from explanation_request r
         join appraisal a on a.id = r.appraisal_id
         join criterion_score cs on cs.id = a.criterion_score_id
         join self_assessment sa on sa.id = cs.self_assessment_id
         join campaign c on c.id = sa.campaign_id
        where r.due_date = ?::date and r.answered_at is null and c.state = 'appraisal' and not c.practice),
     due as (
       insert into reminder_run (campaign_id, phase, days_before)
       select distinct campaign_id, 'answers:' || ?::text, 0 from open_request
       on conflict do nothing
       returning campaign_id),
     per_unit as (
       select o.campaign_id, o.unit_id, count(*)::int as requests from open_request o
         join due on due.campaign_id = o.campaign_id group by o.campaign_id, o.unit_id),
     recipient as (
       select pu.campaign_id, pu.unit_id, ra.user_id from per_unit pu
         join role_assignment ra on ra.unit_id = pu.unit_id and ra.role in ('officer', 'head')
       union
       select o.campaign_id, o.unit_id, h.user_id from open_request o
         join due on due.campaign_id = o.campaign_id
         join (${criterionHolders}) h on h.criterion_score_id = o.score_id)
     insert into notice (recipient_id, kind, campaign_id, group_key, params)
     select r.user_id, 'answersDue', c.id, 'answers-due:' || c.id || ':' || u.id,
            jsonb_build_object('campaign', c.code, 'campaignName', c.name, 'unit', u.code, 'unitName', u.name,
                               'requests', pu.requests, 'due', to_char(?::date, 'DD/MM/YYYY'))
       from recipient r
       join per_unit pu on pu.campaign_id = r.campaign_id and pu.unit_id = r.unit_id
       join campaign c on c.id = r.campaign_id
       join unit u on u.id = r.unit_id
       join app_user au on au.id = r.user_id and au.active
     ${grouped}
     returning id::text as id`,
    [today, today, today],
  );
  return units.length + agencies.length + answers.length;
}
