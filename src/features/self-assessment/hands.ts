// Several hands per criterion (issue 23, seed 003's "Các tiêu chí nhiều người thực hiện"): a criterion of a unit is
// assigned to several of its people and of its named bodies (HĐND, UB MTTQ, Ban TTND, Trạm Y tế …, each acting
// through a contact person), each assignment with an internal due date and the assignee's own note; the officer (or
// the head) alone compiles the one score and explanation. The secretariat marks a unit, or one of its bodies, that
// cannot sign digitally: its evidence then says so instead of carrying the unsigned flag.
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../../db/audit.ts';
import { intArray } from '../../db/sql.ts';
import { todayInVietnam } from '../../domain/dates.ts';
import { invalid, ok, refused, type Outcome } from '../outcome.ts';
import { lockDraft } from './save.ts';
import { assignableUsers } from './submit.ts';
import type { UnitContext } from './unit-access.ts';

/**
 * SQL: true when the person `user` (a parameter or column) holds criterion score `score`: assigned to them, or to a
 * body they are the contact person of.
 */
export const holdsCriterion = (score: string, user: string) =>
  `exists (select 1 from criterion_assignment ca left join unit_body ub on ub.id = ca.body_id
            where ca.criterion_score_id = ${score} and coalesce(ca.user_id, ub.contact_id) = ${user})`;

/** SQL: the people who hold criterion scores (columns criterion_score_id, user_id), for notices. */
export const criterionHolders = `select ca.criterion_score_id, coalesce(ca.user_id, ub.contact_id) as user_id
    from criterion_assignment ca left join unit_body ub on ub.id = ca.body_id
   where coalesce(ca.user_id, ub.contact_id) is not null`;

/**
 * SQL: true when an evidence file `ef` of the unit `unitId` is exempt from digital signing: the secretariat marked the
 * unit, or the body it was sent for, as unable to sign.
 */
export const signingExempt = (ef: string, unitId: string) =>
  `(exists (select 1 from unit sx where sx.id = ${unitId} and sx.cannot_sign_digitally)
    or exists (select 1 from unit_body bx where bx.id = ${ef}.body_id and bx.cannot_sign_digitally))`;

/** The same for an evidence file alone: its unit found through its criterion score. */
export const fileSigningExempt = (ef: string) =>
  signingExempt(
    ef,
    `(select sa_x.unit_id from criterion_score cs_x join self_assessment sa_x on sa_x.id = cs_x.self_assessment_id where cs_x.id = ${ef}.criterion_score_id)`,
  );

/** The body an upload is sent for: one assigned to the criterion whose contact is the uploader, not assigned themselves. */
export async function bodyOfUpload(em: EntityManager, userId: number, scoreId: number): Promise<number | null> {
  const [row] = await em.execute<{ id: number }[]>(
    `select ub.id from criterion_assignment ca join unit_body ub on ub.id = ca.body_id
      where ca.criterion_score_id = ? and ub.contact_id = ?
        and not exists (select 1 from criterion_assignment d where d.criterion_score_id = ? and d.user_id = ?)
      order by ub.name limit 1`,
    [scoreId, userId, scoreId, userId],
  );
  return row?.id ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// The unit's bodies

export interface UnitBodyView {
  id: number;
  name: string;
  contactId: number | null;
  contactName: string | null;
  cannotSign: boolean;
}

/** The unit's named bodies, by name. */
export async function unitBodies(em: EntityManager, unitId: number): Promise<UnitBodyView[]> {
  const rows = await em.execute<
    { id: number; name: string; contact_id: number | null; contact_name: string | null; cannot: boolean }[]
  >(
    `select b.id, b.name, b.contact_id, u.full_name as contact_name, b.cannot_sign_digitally as cannot
       from unit_body b left join app_user u on u.id = b.contact_id
      where b.unit_id = ? order by b.name collate "vi-x-icu"`,
    [unitId],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    contactId: r.contact_id,
    contactName: r.contact_name,
    cannotSign: r.cannot,
  }));
}

export interface BodyInput {
  name: string;
  contactId: number | null;
}

/** Adds a body to the unit, or gives a body of that name its contact person; audited. */
export async function saveUnitBody(
  em: EntityManager,
  ctx: UnitContext,
  input: BodyInput,
): Promise<Outcome<{ id: number }, 'invalid' | 'forbidden'>> {
  if (!ctx.mayAssign) return refused('forbidden');
  const name = input.name.trim().normalize('NFC').replace(/\s+/g, ' ');
  if (!name) return invalid({ name: 'hands.body.nameRequired' });
  if (name.length > 255) return invalid({ name: 'hands.body.nameTooLong' });
  if (input.contactId !== null) {
    const people = await assignableUsers(em, ctx.unit.id);
    if (!people.some((p) => p.id === input.contactId)) return invalid({ contact: 'hands.body.contactUnknown' });
  }
  return em.transactional(async (tx) => {
    const [before] = await tx.execute<{ id: number; contact_id: number | null }[]>(
      'select id, contact_id from unit_body where unit_id = ? and name = ? for update',
      [ctx.unit.id, name],
    );
    const [row] = await tx.execute<{ id: number }[]>(
      `insert into unit_body (unit_id, name, contact_id) values (?, ?, ?)
       on conflict (unit_id, name) do update set contact_id = excluded.contact_id returning id`,
      [ctx.unit.id, name, input.contactId],
    );
    audit(tx, {
      actorId: ctx.userId,
      action: before ? 'unit-body.changed' : 'unit-body.added',
      entityType: 'UnitBody',
      entityId: row.id,
      before: before ? { contactId: before.contact_id } : null,
      after: { unit: ctx.unit.code, name, contactId: input.contactId },
    });
    return ok({ id: row.id });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Assignments

export interface AssignmentView {
  id: number;
  scoreId: number;
  userId: number | null;
  bodyId: number | null;
  /** The person's name, or the body's. */
  name: string;
  /** For a body, its contact person. */
  contactName: string | null;
  /** Who acts on it: the person, or the body's contact person. */
  holderId: number | null;
  /** ISO yyyy-mm-dd. */
  dueDate: string | null;
  note: string;
  noteUpdatedAt: Date | null;
  noteUpdatedBy: string | null;
  /** Files the assignee sent for this criterion (a person's own uploads, a body's files). */
  files: number;
  /** Past its due date and nothing handed in (no file, no note). */
  late: boolean;
}

interface AssignmentRow {
  id: number;
  criterion_score_id: number;
  user_id: number | null;
  body_id: number | null;
  name: string;
  contact_name: string | null;
  holder_id: number | null;
  due_date: string | null;
  note: string;
  note_updated_at: Date | null;
  note_updated_by: string | null;
  files: number;
}

/** Every assignment of these criterion scores, by score: people first, then bodies, by name. */
export async function assignmentsOf(
  em: EntityManager,
  scoreIds: number[],
  today = todayInVietnam(),
): Promise<Map<number, AssignmentView[]>> {
  const byScore = new Map<number, AssignmentView[]>();
  if (!scoreIds.length) return byScore;
  const rows = await em.execute<AssignmentRow[]>(
    `select ca.id, ca.criterion_score_id, ca.user_id, ca.body_id, coalesce(u.full_name, b.name) as name,
            cu.full_name as contact_name, coalesce(ca.user_id, b.contact_id) as holder_id, to_char(ca.due_date, 'YYYY-MM-DD') as due_date, ca.note, ca.note_updated_at,
            nu.full_name as note_updated_by,
            (select count(*)::int from evidence_file ef where ef.criterion_score_id = ca.criterion_score_id and ef.removed_at is null
                and (case when ca.body_id is not null then ef.body_id = ca.body_id else ef.uploaded_by_id = ca.user_id and ef.body_id is null end)) as files
       from criterion_assignment ca
       left join app_user u on u.id = ca.user_id
       left join unit_body b on b.id = ca.body_id
       left join app_user cu on cu.id = b.contact_id
       left join app_user nu on nu.id = ca.note_updated_by_id
      where ca.criterion_score_id = any(?::int[])
      order by ca.criterion_score_id, ca.body_id is not null, coalesce(u.full_name, b.name) collate "vi-x-icu"`,
    [intArray(scoreIds)],
  );
  for (const r of rows) {
    const list = byScore.get(r.criterion_score_id) ?? [];
    list.push({
      id: r.id,
      scoreId: r.criterion_score_id,
      userId: r.user_id,
      bodyId: r.body_id,
      name: r.name,
      contactName: r.contact_name,
      holderId: r.holder_id,
      dueDate: r.due_date,
      note: r.note,
      noteUpdatedAt: r.note_updated_at,
      noteUpdatedBy: r.note_updated_by,
      files: r.files,
      late: r.due_date !== null && r.due_date < today && r.files === 0 && !r.note.trim(),
    });
    byScore.set(r.criterion_score_id, list);
  }
  return byScore;
}

/** One assignee of a criterion as the officer's form sends it. */
export interface AssigneeInput {
  userId: number | null;
  bodyId: number | null;
  /** ISO yyyy-mm-dd. */
  dueDate: string | null;
}

/** How many assignments changed; or refused: not the officer's, no longer a draft, someone not of the unit. */
export type SetAssignmentsOutcome = Outcome<number, 'forbidden' | 'locked' | 'unknownAssignee'>;

/**
 * The officer (or head) sets who works on one criterion: the people and bodies listed keep or get their assignment
 * (with its due date; a kept one keeps its note), the others lose theirs. Audited with what was before.
 */
export async function setCriterionAssignments(
  em: EntityManager,
  ctx: UnitContext,
  scoreId: number,
  assignees: AssigneeInput[],
): Promise<SetAssignmentsOutcome> {
  if (!ctx.mayAssign) return refused('forbidden');
  if (!ctx.editable) return refused('locked');
  const people = new Set((await assignableUsers(em, ctx.unit.id)).map((u) => u.id));
  const bodies = new Set((await unitBodies(em, ctx.unit.id)).map((b) => b.id));
  if (assignees.some((a) => (a.userId !== null ? !people.has(a.userId) : a.bodyId === null || !bodies.has(a.bodyId))))
    return refused('unknownAssignee');
  return em.transactional(async (tx): Promise<SetAssignmentsOutcome> => {
    if ((await lockDraft(tx, ctx.selfAssessment.id)) !== 'draft') return refused('locked');
    const before = await tx.execute<
      { id: number; user_id: number | null; body_id: number | null; due: string | null }[]
    >(
      `select ca.id, ca.user_id, ca.body_id, to_char(ca.due_date, 'YYYY-MM-DD') as due
         from criterion_assignment ca join criterion_score cs on cs.id = ca.criterion_score_id
        where ca.criterion_score_id = ? and cs.self_assessment_id = ? order by ca.id for update of ca`,
      [scoreId, ctx.selfAssessment.id],
    );
    const same = (a: { user_id: number | null; body_id: number | null }, b: AssigneeInput) =>
      a.user_id === b.userId && a.body_id === (b.userId === null ? b.bodyId : null);
    let changed = 0;
    for (const old of before) {
      const wanted = assignees.find((a) => same(old, a));
      if (!wanted) {
        await tx.execute('delete from criterion_assignment where id = ?', [old.id]);
        changed++;
      } else if (wanted.dueDate !== old.due) {
        await tx.execute('update criterion_assignment set due_date = ? where id = ?', [wanted.dueDate, old.id]);
        changed++;
      }
    }
    for (const a of assignees) {
      if (before.some((old) => same(old, a))) continue;
      await tx.execute(
        'insert into criterion_assignment (criterion_score_id, user_id, body_id, due_date) values (?, ?, ?, ?)',
        [scoreId, a.userId, a.userId === null ? a.bodyId : null, a.dueDate],
      );
      changed++;
    }
    if (changed)
      audit(tx, {
        actorId: ctx.userId,
        action: 'criterion-score.assigned',
        entityType: 'CriterionScore',
        entityId: scoreId,
        before: { assignees: before.map((b) => ({ userId: b.user_id, bodyId: b.body_id, dueDate: b.due })) },
        after: { assignees },
      });
    return ok(changed);
  });
}

/** The assignments of this criterion score that this person holds (their own, and the bodies they act for). */
export async function heldAssignments(
  em: EntityManager,
  userId: number,
  scoreId: number,
): Promise<{ id: number; bodyName: string | null }[]> {
  return em.execute(
    `select ca.id, ub.name as "bodyName" from criterion_assignment ca left join unit_body ub on ub.id = ca.body_id
      where ca.criterion_score_id = ? and coalesce(ca.user_id, ub.contact_id) = ?
      order by ca.body_id is not null, ub.name`,
    [scoreId, userId],
  );
}

/** The assignee's note on a criterion, seen by the officer and the other assignees; audited. */
export async function saveAssigneeNote(
  em: EntityManager,
  ctx: UnitContext,
  scoreId: number,
  assignmentId: number,
  note: string,
): Promise<Outcome<null, 'invalid' | 'forbidden' | 'locked'>> {
  const held = await heldAssignments(em, ctx.userId, scoreId);
  if (!held.length) return refused('forbidden');
  // The form names which of their assignments the note is for (their own, or a body's); the first when it does not.
  const id = held.find((h) => h.id === assignmentId)?.id ?? held[0].id;
  if (!ctx.editable) return refused('locked');
  const text = note.trim().normalize('NFC');
  if (text.length > 5000) return invalid({ note: 'hands.notes.tooLong' });
  return em.transactional(async (tx) => {
    if ((await lockDraft(tx, ctx.selfAssessment.id)) !== 'draft') return refused('locked');
    const [old] = await tx.execute<{ note: string }[]>(
      'select note from criterion_assignment where id = ? for update',
      [id],
    );
    await tx.execute(
      'update criterion_assignment set note = ?, note_updated_at = now(), note_updated_by_id = ? where id = ?',
      [text, ctx.userId, id],
    );
    audit(tx, {
      actorId: ctx.userId,
      action: 'criterion-assignment.noted',
      entityType: 'CriterionAssignment',
      entityId: id,
      before: { note: old?.note ?? '' },
      after: { note: text },
    });
    return ok(null);
  });
}

/** What this person holds in the unit's self-assessment, with the due dates: their list on the campaign's page. */
export async function myAssignments(
  em: EntityManager,
  ctx: UnitContext,
  today = todayInVietnam(),
): Promise<{ code: string; title: string; dueDate: string | null; bodyName: string | null; late: boolean }[]> {
  const scores = await em.execute<{ id: number; code: string; title: string }[]>(
    `select cs.id, c.code, c.title from criterion_score cs join criterion c on c.id = cs.criterion_id
      where cs.self_assessment_id = ? and ${holdsCriterion('cs.id', '?')} order by c.position`,
    [ctx.selfAssessment.id, ctx.userId],
  );
  const all = await assignmentsOf(
    em,
    scores.map((s) => s.id),
    today,
  );
  const out: { code: string; title: string; dueDate: string | null; bodyName: string | null; late: boolean }[] = [];
  for (const s of scores)
    for (const a of all.get(s.id) ?? [])
      if (a.holderId === ctx.userId)
        out.push({
          code: s.code,
          title: s.title,
          dueDate: a.dueDate,
          bodyName: a.bodyId ? a.name : null,
          late: a.late,
        });
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The secretariat's mark: cannot sign digitally

export interface SigningRow {
  unitId: number;
  unitCode: string;
  unitName: string;
  cannotSign: boolean;
  bodies: { id: number; name: string; cannotSign: boolean }[];
}

/** The active units with their bodies and the mark of each, by name. */
export async function signingMarks(em: EntityManager): Promise<SigningRow[]> {
  const rows = await em.execute<
    { id: number; code: string; name: string; cannot: boolean; bodies: SigningRow['bodies'] }[]
  >(
    `select u.id, u.code, u.name, u.cannot_sign_digitally as cannot,
            coalesce((select json_agg(json_build_object('id', b.id, 'name', b.name, 'cannotSign', b.cannot_sign_digitally)
                                      order by b.name collate "vi-x-icu")
                        from unit_body b where b.unit_id = u.id), '[]'::json) as bodies
       from unit u where u.active order by u.name collate "vi-x-icu"`,
  );
  return rows.map((r) => ({
    unitId: r.id,
    unitCode: r.code,
    unitName: r.name,
    cannotSign: r.cannot,
    bodies: r.bodies,
  }));
}

/** The secretariat marks (or unmarks) a unit or one body as unable to sign digitally; audited. */
export async function setCannotSign(
  em: EntityManager,
  actorId: number,
  target: { unitCode: string } | { bodyId: number },
  cannotSign: boolean,
): Promise<Outcome<null, 'notFound'>> {
  return em.transactional(async (tx) => {
    const rows =
      'unitCode' in target
        ? await tx.execute<{ id: number; before: boolean }[]>(
            `update unit u set cannot_sign_digitally = ? from unit old where u.id = old.id and u.code = ?
             returning u.id, old.cannot_sign_digitally as before`,
            [cannotSign, target.unitCode],
          )
        : await tx.execute<{ id: number; before: boolean }[]>(
            `update unit_body b set cannot_sign_digitally = ? from unit_body old where b.id = old.id and b.id = ?
             returning b.id, old.cannot_sign_digitally as before`,
            [cannotSign, target.bodyId],
          );
    if (!rows.length) return refused('notFound');
    if (rows[0].before !== cannotSign)
      audit(tx, {
        actorId,
        action: 'signing-exemption.set',
        entityType: 'unitCode' in target ? 'Unit' : 'UnitBody',
        entityId: rows[0].id,
        before: { cannotSignDigitally: rows[0].before },
        after: { cannotSignDigitally: cannotSign },
      });
    return ok(null);
  });
}
