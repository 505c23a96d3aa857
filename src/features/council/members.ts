// The council as constituted (Hội đồng thẩm định) and its working group (Tổ công tác / Tổ thư ký giúp việc), per
// campaign: the founding decision, and who sits in each with their agency and title. Being recorded here is what
// gives a person the campaign's role (`councilGrantRole`, read with the role assignments at every request by
// src/features/auth/sessions.ts): a chair approves that campaign, a vice-chair or member reads its council pages, a
// working-group member follows its units up. Every change is audited.
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../../db/audit.ts';
import { calendarDateProblem, parseCalendarDate, todayInVietnam } from '../../domain/dates.ts';
import type { CurrentUser } from '../../domain/permissions.ts';
import { invalid, ok, refused, type FieldErrors, type Outcome } from '../outcome.ts';

export const bodies = ['council', 'working-group'] as const;
export type Body = (typeof bodies)[number];
export const positions = {
  council: ['chair', 'vice-chair', 'member'],
  'working-group': ['leader', 'member', 'secretary'],
} as const satisfies Record<Body, readonly string[]>;
export type Position = (typeof positions)[Body][number];
/** The positions one person alone may hold in a body. */
const single: readonly string[] = ['chair', 'leader'];

/** The SQL (over `council_member m`) of the role a recorded person holds for the campaign. */
export const councilGrantRole = `case when m.body = 'working-group' then 'working-group'
  when m.position = 'chair' then 'chair' when m.position = 'vice-chair' then 'vice-chair' else 'council-member' end`;

export interface CouncilMember {
  id: number;
  body: Body;
  position: Position;
  username: string;
  fullName: string;
  agencyName: string | null;
  title: string;
}

export interface Council {
  campaign: { id: number; code: string; name: string; state: string };
  decision: {
    number: string;
    /** ISO yyyy-mm-dd. */
    date: string;
    groupNumber: string;
    groupDate: string | null;
  } | null;
  council: CouncilMember[];
  workingGroup: CouncilMember[];
}

const positionOrder = `array_position(array['chair', 'vice-chair', 'leader', 'secretary', 'member'], m.position::text)`;

/** The campaign's council and working group, or null when no such campaign. */
export async function loadCouncil(em: EntityManager, campaignCode: string): Promise<Council | null> {
  const [campaign] = await em.execute<Council['campaign'][]>(
    'select id, code, name, state from campaign where code = ?',
    [campaignCode],
  );
  if (!campaign) return null;
  const [decision] = await em.execute<NonNullable<Council['decision']>[]>(
    `select decision_number as number, to_char(decision_date, 'YYYY-MM-DD') as date,
            group_decision_number as "groupNumber", to_char(group_decision_date, 'YYYY-MM-DD') as "groupDate"
       from council where campaign_id = ?`,
    [campaign.id],
  );
  const members = await em.execute<CouncilMember[]>(
    `select m.id, m.body, m.position, u.username, u.full_name as "fullName", a.name as "agencyName", m.title
       from council_member m join app_user u on u.id = m.user_id left join agency a on a.id = m.agency_id
      where m.campaign_id = ?
      order by ${positionOrder}, u.full_name collate "vi-x-icu", m.id`,
    [campaign.id],
  );
  return {
    campaign,
    decision: decision ?? null,
    council: members.filter((m) => m.body === 'council'),
    workingGroup: members.filter((m) => m.body === 'working-group'),
  };
}

/** What the people and agencies lists of the member form offer: active people, active agencies. */
export async function memberChoices(em: EntityManager) {
  const people = await em.execute<{ username: string; fullName: string }[]>(
    `select username, full_name as "fullName" from app_user where active order by full_name collate "vi-x-icu", username`,
  );
  const agencies = await em.execute<{ code: string; name: string }[]>(
    `select code, name from agency where active order by name collate "vi-x-icu", code`,
  );
  return { people, agencies };
}

const dateOf = (text: string, field: string, errors: FieldErrors, required: boolean): string | null => {
  const value = text.trim();
  if (!value) {
    if (required) errors[field] = 'council2.error.dateRequired';
    return null;
  }
  const problem = calendarDateProblem(value);
  if (problem) {
    errors[field] = problem === 'format' ? 'council2.error.dateFormat' : 'council2.error.dateNonexistent';
    return null;
  }
  const date = parseCalendarDate(value)!;
  if (date > todayInVietnam()) errors[field] = 'council2.error.dateFuture';
  return date;
};

export interface DecisionInput {
  number: string;
  date: string;
  groupNumber: string;
  groupDate: string;
}

/** Records (or corrects) the decision founding the council, and the working group's own when it has one. */
export async function saveCouncilDecision(
  em: EntityManager,
  actor: CurrentUser,
  campaignCode: string,
  input: DecisionInput,
): Promise<Outcome<null, 'invalid' | 'notFound'>> {
  const errors: FieldErrors = {};
  const number = input.number.trim().normalize('NFC');
  const groupNumber = input.groupNumber.trim().normalize('NFC');
  if (!number) errors.number = 'council2.error.numberRequired';
  else if (number.length > 100) errors.number = 'council2.error.numberLong';
  if (groupNumber.length > 100) errors.groupNumber = 'council2.error.numberLong';
  const date = dateOf(input.date, 'date', errors, true);
  const groupDate = dateOf(input.groupDate, 'groupDate', errors, false);
  if (groupNumber && !input.groupDate.trim() && !errors.groupDate) errors.groupDate = 'council2.error.dateRequired';
  if (Object.keys(errors).length) return invalid(errors);
  return em.transactional(async (tx) => {
    const [campaign] = await tx.execute<{ id: number }[]>('select id from campaign where code = ? for update', [
      campaignCode,
    ]);
    if (!campaign) return refused('notFound');
    const [before] = await tx.execute(
      'select decision_number, decision_date::text, group_decision_number, group_decision_date::text from council where campaign_id = ?',
      [campaign.id],
    );
    await tx.execute(
      `insert into council (campaign_id, decision_number, decision_date, group_decision_number, group_decision_date)
       values (?, ?, ?, ?, ?)
       on conflict (campaign_id) do update set decision_number = excluded.decision_number, decision_date = excluded.decision_date,
         group_decision_number = excluded.group_decision_number, group_decision_date = excluded.group_decision_date, updated_at = now()`,
      [campaign.id, number, date, groupNumber, groupDate],
    );
    audit(tx, {
      actorId: actor.id,
      action: 'council.decision-recorded',
      entityType: 'Campaign',
      entityId: campaign.id,
      before: before ?? null,
      after: { number, date, groupNumber, groupDate },
    });
    return ok(null);
  });
}

export interface MemberInput {
  body: string;
  position: string;
  username: string;
  agency: string;
  title: string;
}

/** Records a person in the council or the working group; they hold the campaign's role from their next request. */
export async function addCouncilMember(
  em: EntityManager,
  actor: CurrentUser,
  campaignCode: string,
  input: MemberInput,
): Promise<Outcome<null, 'invalid' | 'notFound'>> {
  const errors: FieldErrors = {};
  const body = bodies.find((b) => b === input.body);
  if (!body) return invalid({ _form: 'council2.error.body' });
  const position = (positions[body] as readonly string[]).find((p) => p === input.position) as Position | undefined;
  if (!position) errors[`${body}-position`] = 'council2.error.position';
  const title = input.title.trim().normalize('NFC');
  if (title.length > 255) errors[`${body}-title`] = 'council2.error.titleLong';
  if (!input.username.trim()) errors[`${body}-username`] = 'council2.error.person';
  if (Object.keys(errors).length) return invalid(errors);
  return em.transactional(async (tx) => {
    const [campaign] = await tx.execute<{ id: number }[]>('select id from campaign where code = ? for update', [
      campaignCode,
    ]);
    if (!campaign) return refused('notFound');
    const [person] = await tx.execute<{ id: number; full_name: string }[]>(
      'select id, full_name from app_user where username = ? and active',
      [input.username.trim()],
    );
    if (!person) return invalid({ [`${body}-username`]: 'council2.error.person' });
    let agencyId: number | null = null;
    if (input.agency.trim()) {
      const [agency] = await tx.execute<{ id: number }[]>('select id from agency where code = ? and active', [
        input.agency.trim(),
      ]);
      if (!agency) return invalid({ [`${body}-agency`]: 'council2.error.agency' });
      agencyId = agency.id;
    }
    const [taken] = await tx.execute<{ same: boolean }[]>(
      `select m.user_id = ? as same from council_member m
        where m.campaign_id = ? and m.body = ? and (m.user_id = ? or (m.position = ? and m.position = any(?::text[])))`,
      [person.id, campaign.id, body, person.id, position, `{${single.join(',')}}`],
    );
    if (taken)
      return invalid({
        [`${body}-${taken.same ? 'username' : 'position'}`]: taken.same
          ? 'council2.error.already'
          : 'council2.error.single',
      });
    const [added] = await tx.execute<{ id: number }[]>(
      `insert into council_member (campaign_id, body, position, user_id, agency_id, title) values (?, ?, ?, ?, ?, ?) returning id`,
      [campaign.id, body, position, person.id, agencyId, title],
    );
    audit(tx, {
      actorId: actor.id,
      action: 'council.member-added',
      entityType: 'CouncilMember',
      entityId: added.id,
      after: {
        campaign: campaignCode,
        body,
        position,
        username: input.username.trim(),
        agency: input.agency.trim() || null,
        title,
      },
    });
    return ok(null);
  });
}

/** Takes a person out of the council or the working group (and so their role for the campaign). */
export async function removeCouncilMember(
  em: EntityManager,
  actor: CurrentUser,
  campaignCode: string,
  memberId: number,
): Promise<Outcome<null, 'notFound'>> {
  return em.transactional(async (tx) => {
    const [gone] = await tx.execute<{ id: number; body: string; position: string; username: string }[]>(
      `delete from council_member m using campaign c, app_user u
        where m.id = ? and c.id = m.campaign_id and c.code = ? and u.id = m.user_id
       returning m.id, m.body, m.position, u.username`,
      [memberId, campaignCode],
    );
    if (!gone) return refused('notFound');
    audit(tx, {
      actorId: actor.id,
      action: 'council.member-removed',
      entityType: 'CouncilMember',
      entityId: gone.id,
      before: { campaign: campaignCode, body: gone.body, position: gone.position, username: gone.username },
    });
    return ok(null);
  });
}

/** A campaign's id by its code, or null. */
export async function campaignIdOf(em: EntityManager, code: string): Promise<number | null> {
  const [row] = await em.execute<{ id: number }[]>('select id from campaign where code = ?', [code]);
  return row?.id ?? null;
}

/** The campaigns whose working group this person sits in, newest first. */
export function followedCampaigns(em: EntityManager, user: CurrentUser) {
  return em.execute<{ code: string; name: string; year: number; state: string; position: string }[]>(
    `select c.code, c.name, c.year, c.state, m.position from council_member m join campaign c on c.id = m.campaign_id
      where m.user_id = ? and m.body = 'working-group' order by c.year desc, c.name collate "vi-x-icu"`,
    [user.id],
  );
}
