import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Browser, csrfToken, type TestApp } from '../helpers/app.ts';
import { startAppraisalApp } from '../helpers/appraisal.ts';
import { paths } from '../../src/http/paths.ts';

// Item 9 of issue 12: a contributor sees only the requests for explanation about criteria assigned to them; and a
// decision (appraise, a request for explanation, an answer) checks the phase in its own transaction, under the lock
// the phase change takes, so that none lands after the appraisal has closed. The races are made deterministic by
// holding a lock from a second connection and waiting until the app's statements queue behind it.

let t: TestApp;
let code: string;
let campaignId: number;
const unit = 'xa-truc-thanh';
/** A second connection, as the database owner: it holds the locks. */
let holder: pg.Client;
/** A third, to watch who waits (pg_stat_activity is read afresh outside a transaction). */
let watcher: pg.Client;

beforeAll(async () => {
  ({ t, code } = await startAppraisalApp());
  holder = new pg.Client({ connectionString: t.databaseUrl });
  watcher = new pg.Client({ connectionString: t.databaseUrl });
  await holder.connect();
  await watcher.connect();
  campaignId = (await sql<{ id: number }>('select id from campaign where code = ?', [code]))[0]!.id;
});
afterAll(async () => {
  await holder.end();
  await watcher.end();
  await t.close();
});
beforeEach(async () => {
  // Opened as the secretariat's phase change opens it: the appraisal window holds from that day.
  await sql(
    `update campaign set state = 'appraisal', appraisal_opens = least(appraisal_opens, current_date - 1) where id = ?`,
    [campaignId],
  );
});

const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
  t.orm.em.fork().getConnection().execute(query, params) as Promise<T[]>;
const itemOf = async (criterion: string) =>
  (
    await sql<{ id: number; version: number; state: string; score_id: number }>(
      `select a.id, a.version, a.state, cs.id as score_id from appraisal a join criterion_score cs on cs.id = a.criterion_score_id
     join criterion c on c.id = cs.criterion_id join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id
    where u.code = ? and c.code = ?`,
      [unit, criterion],
    )
  )[0]!;
const userId = async (username: string) =>
  (await sql<{ id: number }>('select id from app_user where username = ?', [username]))[0]!.id;

async function addRequest(criterion: string, message: string): Promise<number> {
  const item = await itemOf(criterion);
  await sql(`update appraisal set state = 'waiting', version = version + 1 where id = ?`, [item.id]);
  const [row] = await sql<{ id: number }>(
    `insert into explanation_request (appraisal_id, message, due_date, requested_by_id, requested_at) values (?, ?, current_date + 30, ?, now()) returning id`,
    [item.id, message, await userId('thamdinh')],
  );
  return row!.id;
}

/**
 * Waits until `n` of the app's statements wait on a lock, or until `pending` (the request expected to wait) has
 * finished without waiting: then the assertions after say what went wrong.
 */
async function waitersReach(n: number, pending?: Promise<unknown>) {
  let settled = false;
  void pending?.finally(() => {
    settled = true;
  });
  for (;;) {
    if (settled) return;
    const { rows } = await watcher.query(
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> $1`,
      [(holder as unknown as { processID: number }).processID],
    );
    if (rows[0].n >= n) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const auditCount = async (action: string) =>
  (await sql<{ n: number }>('select count(*)::int as n from audit_event where action = ?', [action]))[0]!.n;

describe("a contributor's explanations page", () => {
  it('shows only the requests about criteria assigned to them; the officer sees all', async () => {
    const assigned = await itemOf('1.1.1');
    await sql('insert into criterion_assignment (criterion_score_id, user_id) values (?, ?)', [
      assigned.score_id,
      await userId('congtac'),
    ]);
    const mine = await addRequest('1.1.1', 'Bổ sung kế hoạch tuyên truyền (giao cho cộng tác viên).');
    const other = await addRequest('1.1.2', 'Nội dung mật: chỉ cán bộ đầu mối được xem.');
    const page = paths.unit.explanations(unit, code);
    const contributor = await Browser.signedIn(t.app, 'congtac');
    const seen = await contributor.get(page);
    expect(seen.statusCode).toBe(200);
    expect(seen.body).toContain('Bổ sung kế hoạch tuyên truyền');
    expect(seen.body).not.toContain('Nội dung mật');
    expect(seen.body).not.toContain(`id="r-${other}"`);
    // Nor can it reach the other request by its address.
    const token = csrfToken(seen.body);
    expect(
      (await contributor.request('POST', `${page}/${other}`, { form: { _csrf: token, answer: 'x' } })).statusCode,
    ).toBe(404);
    const officer = await Browser.signedIn(t.app, 'canbo');
    const all = await officer.get(page);
    expect(all.body).toContain('Bổ sung kế hoạch tuyên truyền');
    expect(all.body).toContain('Nội dung mật');
    expect(all.body).toContain(`id="r-${mine}"`);
    await sql('delete from explanation_request');
    await sql(`update appraisal set state = 'todo'`);
  });
});

describe('a decision after the appraisal has closed is refused', () => {
  it('appraise: closing the appraisal (the real step) while a decision waits', async () => {
    // Every item decided, so that the appraisal may close; then the appraiser changes one decision as it closes.
    await sql(`update appraisal set state = 'accepted', appraised_score = 0`);
    const item = await itemOf('1.1.1');
    const appraiser = await Browser.signedIn(t.app, 'thamdinh');
    const admin = await Browser.signedIn(t.app, 'admin');
    const itemToken = csrfToken((await appraiser.get(paths.appraisal.item(item.id))).body);
    const adminToken = csrfToken((await admin.get(paths.admin.campaign(code))).body);
    const adjustedBefore = await auditCount('appraisal.adjusted');

    // The closing step's audit row waits behind this lock, with the campaign row already locked and updated.
    await holder.query('begin');
    await holder.query('lock table audit_event in share mode');
    const closing = admin.request('POST', paths.admin.campaignState(code), {
      form: { _csrf: adminToken, to: 'council-review', confirm: 'yes' },
    });
    await waitersReach(1);
    const deciding = appraiser.request('POST', paths.appraisal.item(item.id), {
      form: { _csrf: itemToken, version: String(item.version), action: 'quick', ground: 'unclear' },
    });
    await waitersReach(2, deciding);
    await holder.query('commit');

    expect((await closing).statusCode).toBe(303);
    const decided = await deciding;
    expect(decided.statusCode).toBe(409);
    expect(decided.body).toContain('Giai đoạn thẩm định đã kết thúc; mọi thay đổi phải qua đính chính có ghi lại.');
    const after = await itemOf('1.1.1');
    expect(after.version).toBe(item.version);
    expect(after.state).toBe('accepted');
    expect(await auditCount('appraisal.adjusted')).toBe(adjustedBefore);
    expect((await sql<{ state: string }>('select state from campaign where id = ?', [campaignId]))[0]!.state).toBe(
      'council-review',
    );
    await sql(`update appraisal set state = 'todo', appraised_score = null`);
  });

  /** Runs `decide` while a second connection holds the campaign row, changes its phase, and commits. */
  async function raceWithPhaseChange<T>(decide: () => Promise<T>, to = 'council-review'): Promise<T> {
    await holder.query('begin');
    await holder.query('select state from campaign where id = $1 for update', [campaignId]);
    await holder.query('update campaign set state = $2 where id = $1', [campaignId, to]);
    const pending = decide();
    await waitersReach(1, pending);
    await holder.query('commit');
    return pending;
  }

  it('a request for explanation', async () => {
    const item = await itemOf('1.1.2');
    const appraiser = await Browser.signedIn(t.app, 'thamdinh');
    const token = csrfToken((await appraiser.get(paths.appraisal.item(item.id))).body);
    const res = await raceWithPhaseChange(() =>
      appraiser.request('POST', paths.appraisal.item(item.id), {
        form: {
          _csrf: token,
          version: String(item.version),
          action: 'request',
          message: 'Bổ sung văn bản',
          dueDate: '',
        },
      }),
    );
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Giai đoạn thẩm định đã kết thúc');
    expect((await sql<{ n: number }>('select count(*)::int as n from explanation_request'))[0]!.n).toBe(0);
    expect((await itemOf('1.1.2')).version).toBe(item.version);
  });

  it('an answer to a request', async () => {
    const request = await addRequest('1.5.1', 'Bổ sung số liệu.');
    const officer = await Browser.signedIn(t.app, 'canbo');
    const page = paths.unit.explanations(unit, code);
    const token = csrfToken((await officer.get(page)).body);
    const res = await raceWithPhaseChange(() =>
      officer.request('POST', `${page}/${request}`, { form: { _csrf: token, answer: 'Đã bổ sung số liệu quý IV.' } }),
    );
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Đã hết hạn trả lời.');
    const [row] = await sql<{ answer: string | null }>('select answer from explanation_request where id = ?', [
      request,
    ]);
    expect(row!.answer).toBeNull();
    expect((await itemOf('1.5.1')).state).toBe('waiting');
    expect(await auditCount('explanation.answered')).toBe(0);
  });

  it('an exemption added as the chair approves', async () => {
    await sql(`update campaign set state = 'council-review' where id = ?`, [campaignId]);
    const admin = await Browser.signedIn(t.app, 'admin');
    const page = paths.admin.exemptions(code);
    const token = csrfToken((await admin.get(page)).body);
    const [criterion] = await sql<{ id: number }>(`select id from criterion where code = '1.1.1'`);
    const res = await raceWithPhaseChange(
      () =>
        admin.request('POST', page, {
          form: { _csrf: token, unit, criterion: String(criterion!.id), reason: 'Không phát sinh trong năm.' },
        }),
      'approved',
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Kỳ đánh giá đã phê duyệt; không thể thay đổi.');
    expect((await sql<{ n: number }>('select count(*)::int as n from exemption'))[0]!.n).toBe(0);
  });
});
