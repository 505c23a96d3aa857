// Reminders before a phase closes (issue 16, item 3): on the days the campaign names ("3,1"), to the units that have
// not submitted, and to the appraisers of agencies with items left; each written once, whatever the number of runs
// or app instances.
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../../src/db/orm.ts';
import { writeDueReminders } from '../../src/features/reminders.ts';
import { fieldError } from '../helpers/admin.ts';
import { Browser, startTestApp, type TestApp } from '../helpers/app.ts';
import { setCampaignState, submitUnitBySql } from '../helpers/appraisal.ts';
import { appUrlFor } from '../helpers/roles.ts';

let t: TestApp;
const others: MikroORM[] = [];
beforeAll(async () => {
  t = await startTestApp();
  await submitUnitBySql(t.orm, 'xa-truc-thanh');
  await setCampaignState(t.orm, 'self-assessment');
  await sql(`update campaign set self_assessment_closes = '2026-12-05', appraisal_closes = '2026-12-20'`);
});
afterAll(async () => {
  for (const orm of others) await orm.close();
  await t.close();
});

const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  t.orm.em.fork().execute<T[]>(text, params);
const notices = (kind: string) =>
  sql<{ username: string; days: string; count: number }>(
    `select u.username, n.params->>'days' as days, n.count from notice n join app_user u on u.id = n.recipient_id
      where n.kind = ? order by u.username, n.id`,
    [kind],
  );

describe('reminders before a phase closes', () => {
  it('three days before, the units that have not submitted hear it; once, however often the schedule runs', async () => {
    expect(await writeDueReminders(t.orm.em.fork(), '2026-12-01')).toBe(0); // four days before: not a reminder day
    const written = await writeDueReminders(t.orm.em.fork(), '2026-12-02');
    expect(written).toBeGreaterThan(0);
    // Xã Trực Thanh submitted: its officer and head hear nothing; Xã Trực Đạo's officer does.
    expect(await notices('selfAssessmentClosing')).toEqual([{ username: 'canbo2', days: '3', count: 1 }]);
    expect(await writeDueReminders(t.orm.em.fork(), '2026-12-02')).toBe(0);
    expect(await writeDueReminders(t.orm.em.fork(), '2026-12-03')).toBe(0);
    expect((await notices('selfAssessmentClosing')).length).toBe(1);
  });

  it('two instances on the same day write the reminder once', async () => {
    const a = await openOrm(appUrlFor(t.databaseUrl), { poolMax: 2 });
    const b = await openOrm(appUrlFor(t.databaseUrl), { poolMax: 2 });
    others.push(a, b);
    await sql(`update notice set read_at = now()`);
    const [x, y] = await Promise.all([
      writeDueReminders(a.em.fork(), '2026-12-04'),
      writeDueReminders(b.em.fork(), '2026-12-04'),
    ]);
    expect([x, y].sort()).toEqual([0, 1]);
    expect(await notices('selfAssessmentClosing')).toEqual([
      { username: 'canbo2', days: '3', count: 1 },
      { username: 'canbo2', days: '1', count: 1 },
    ]);
  });

  it("appraisal: the appraisers of agencies with items left, on the campaign's own days", async () => {
    await setCampaignState(t.orm, 'appraisal');
    await sql(`update campaign set reminder_days = '5'`);
    expect(await writeDueReminders(t.orm.em.fork(), '2026-12-17')).toBe(0); // 3 days: no longer a reminder day
    expect(await writeDueReminders(t.orm.em.fork(), '2026-12-15')).toBeGreaterThan(0);
    const rows = await sql<{ username: string; items: number; days: string }>(
      `select u.username, (n.params->>'items')::int as items, n.params->>'days' as days
         from notice n join app_user u on u.id = n.recipient_id where n.kind = 'appraisalClosing' order by u.username`,
    );
    expect(rows.map((r) => r.username)).toContain('thamdinh');
    for (const r of rows) {
      expect(r.days).toBe('5');
      expect(r.items).toBeGreaterThan(0);
    }
    const [{ left }] = await sql<{ left: number }>(
      `select count(*)::int as left from appraisal a join criterion_score cs on cs.id = a.criterion_score_id
         join criterion cr on cr.id = cs.criterion_id join agency ag on ag.id = cr.agency_id
        where ag.code = 'noi-vu' and a.state in ('todo', 'answered')`,
    );
    expect(rows.find((r) => r.username === 'thamdinh')!.items).toBe(left);
    expect(await writeDueReminders(t.orm.em.fork(), '2026-12-15')).toBe(0);
  });

  it('on the morning answers are due, the unit that has not answered hears it, once', async () => {
    await sql(
      `insert into explanation_request (appraisal_id, message, due_date, requested_by_id, requested_at)
       select a.id, 'Bổ sung', '2026-12-16', (select id from app_user where username = 'thamdinh'), now()
         from appraisal a join criterion_score cs on cs.id = a.criterion_score_id
         join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id
        where u.code = 'xa-truc-thanh' order by a.id limit 2`,
    );
    expect(await writeDueReminders(t.orm.em.fork(), '2026-12-15')).toBe(0);
    expect(await writeDueReminders(t.orm.em.fork(), '2026-12-16')).toBe(2);
    const rows = await sql<{ username: string; requests: number }>(
      `select u.username, (n.params->>'requests')::int as requests from notice n
         join app_user u on u.id = n.recipient_id where n.kind = 'answersDue' order by u.username`,
    );
    expect(rows).toEqual([
      { username: 'canbo', requests: 2 },
      { username: 'chutichxa', requests: 2 },
    ]);
    expect(await writeDueReminders(t.orm.em.fork(), '2026-12-16')).toBe(0);
  });

  it('the secretariat sets the days in the campaign settings form; wrong days are refused beside the field', async () => {
    const admin = await Browser.signedIn(t.app, 'admin');
    const [{ id: setId }] = await sql<{ id: number }>('select id from criteria_set order by id limit 1');
    const settings = (reminderDays: string) => ({
      code: 'nhac-han-2026',
      name: 'Chỉ số CCHC nhắc hạn 2026',
      year: '2026',
      organizer: 'UBND huyện Trực Ninh',
      criteriaSetId: String(setId),
      compositionPreset: 'appraisal:70,survey:30',
      bands: 'Xuất sắc:95;Tốt:85;Khá:75;Trung bình:70;Yếu:0',
      precision: '2',
      rounding: 'half-up',
      explanationDays: '3',
      reminderDays,
    });
    const form = await admin.get('/admin/campaigns/new');
    expect(form.body).toMatch(/name="reminderDays"[^>]*value="3,1"|value="3,1"[^>]*name="reminderDays"/);
    const bad = await admin.submit('/admin/campaigns/new', '/admin/campaigns', settings('3, hai'));
    expect(bad.statusCode).toBe(422);
    expect(fieldError(bad.body, 'reminderDays')).toBe(
      'Nhập các số ngày từ 1 đến 60, cách nhau bằng dấu phẩy (ví dụ 3,1).',
    );
    expect(bad.body).toContain('value="3, hai"');
    const good = await admin.submit('/admin/campaigns/new', '/admin/campaigns', settings('1 7, 3'));
    expect(good.statusCode).toBe(303);
    const [row] = await sql<{ reminder_days: string }>(
      `select reminder_days from campaign where code = 'nhac-han-2026'`,
    );
    expect(row!.reminder_days).toBe('7,3,1');
  });
});
