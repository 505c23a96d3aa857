import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, csrfToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { paths } from '../../src/http/paths.ts';

// A save racing the head's submission. The submission is held half-way by a lock this test takes (as a slow disk or a
// busy table would hold it); the save arrives meanwhile. Whatever the timing, the submitted assessment is exactly
// what was submitted, and a save that comes second is refused with the usual message.

let t: TestApp;
let code: string;
let base: string;
let criterion: string;
const unit = 'xa-truc-thanh';

beforeAll(async () => {
  t = await startTestApp();
  [{ code }] = await sql<{ code: string }>('select code from campaign limit 1');
  base = paths.unit.campaign(unit, code);
  [{ code: criterion }] = await sql<{ code: string }>(
    `select c.code from criterion c
      where c.kind = 'self' and c.scoring is null and not exists (select 1 from criterion k where k.parent_id = c.id) order by c.position limit 1`,
  );
  // A complete self-assessment, ready to submit.
  await sql(
    `update criterion_score cs set self_score = c.max_score, explanation = 'Kế hoạch số 10/KH-UBND', version = version + 1
               from criterion c, self_assessment sa, unit u
              where c.id = cs.criterion_id and sa.id = cs.self_assessment_id and u.id = sa.unit_id and u.code = ?`,
    [unit],
  );
  await sql('update criterion set evidence_required = false');
});
afterAll(async () => {
  await t.close();
});

function sql<T = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> {
  return t.orm.em.fork().getConnection().execute(text, params) as Promise<T[]>;
}

/** The test's own connection, as the owner: it holds the lock the submission needs half-way. */
async function blocker(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: t.databaseUrl });
  await client.connect();
  return client;
}

/** Sessions of this database waiting for a lock, seen from a connection outside any transaction (inside one, the view is frozen). */
const waitingLocks = async () => {
  const client = await blocker();
  try {
    return (
      await client.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
      )
    ).rows[0]!.n;
  } finally {
    await client.end();
  }
};

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a save racing the submission', () => {
  it('waits for the submission, then is refused; the submitted assessment is what was submitted', async () => {
    const head = await Browser.signedIn(t.app, 'chutichxa');
    const officer = await Browser.signedIn(t.app, 'canbo');
    const submitToken = csrfToken((await head.get(`${base}/submission`)).body);
    const page = await officer.get(`${base}/criteria?field=${criterion.split('.')[0]}`);
    const version = new RegExp(`id="c-${criterion.replaceAll('.', '-')}"[\\s\\S]*?name="version" value="(\\d+)"`).exec(
      page.body,
    )![1]!;

    const lock = await blocker();
    try {
      await lock.query('begin');
      await lock.query('lock table appraisal in share mode');
      // The submission has checked the answers and marked the assessment submitted; it waits to open the appraisal items.
      const submitted = head.request('POST', `${base}/submission`, { form: { _csrf: submitToken } });
      await until('the submission to wait for its lock', async () => (await waitingLocks()) === 1);
      // The officer clears the explanation of a required criterion meanwhile.
      let saveDone = false;
      const saved = officer
        .request('POST', `${base}/criteria/${criterion}`, {
          form: { _csrf: csrfToken(page.body), score: '0', explanation: '', version },
        })
        .finally(() => {
          saveDone = true;
        });
      // Either it waits for the submission (a second lock waited for), or it went through beside it (the fault).
      await until('the save to wait or finish', async () => saveDone || (await waitingLocks()) === 2);
      await lock.query('rollback');

      expect((await submitted).statusCode).toBe(303);
      const save = await saved;
      expect(save.statusCode).toBe(409);
      expect(save.body).toContain('Đơn vị đã nộp tự đánh giá; không thể sửa nữa.');
    } finally {
      await lock.end();
    }
    const [row] = await sql<{ state: string; explanation: string; version: number }>(
      `select sa.state, cs.explanation, cs.version from criterion_score cs join criterion c on c.id = cs.criterion_id
         join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id where u.code = ? and c.code = ?`,
      [unit, criterion],
    );
    expect(row).toEqual({ state: 'submitted', explanation: 'Kế hoạch số 10/KH-UBND', version: Number(version) });
    const actions = await sql<{ action: string }>(
      `select action from audit_event where action in ('self-assessment.submitted', 'criterion-score.saved') order by id`,
    );
    expect(actions.map((a) => a.action)).toEqual(['self-assessment.submitted']);
  });

  it('a save that holds the assessment first is kept, and the submission checks what it saved', async () => {
    // The other order: the submission waits for the save, then sees its answer (here a cleared explanation) and refuses.
    await sql(`update self_assessment set state = 'draft', submitted_at = null, submitted_by_id = null`);
    await sql('delete from appraisal');
    await sql(`update criterion_score set explanation = 'Kế hoạch số 10/KH-UBND' where explanation = ''`);
    const head = await Browser.signedIn(t.app, 'chutichxa');
    const officer = await Browser.signedIn(t.app, 'canbo');
    const submitToken = csrfToken((await head.get(`${base}/submission`)).body);
    const page = await officer.get(`${base}/criteria?field=${criterion.split('.')[0]}`);
    const version = new RegExp(`id="c-${criterion.replaceAll('.', '-')}"[\\s\\S]*?name="version" value="(\\d+)"`).exec(
      page.body,
    )![1]!;

    const lock = await blocker();
    try {
      await lock.query('begin');
      // The save's audit line waits on this lock, after its update and its check of the assessment.
      await lock.query('lock table audit_event in share mode');
      const saved = officer.request('POST', `${base}/criteria/${criterion}`, {
        form: { _csrf: csrfToken(page.body), score: '0', explanation: '', version },
      });
      await until('the save to wait for its lock', async () => (await waitingLocks()) === 1);
      const submitted = head.request('POST', `${base}/submission`, { form: { _csrf: submitToken } });
      await until('the submission to wait for the save', async () => (await waitingLocks()) === 2);
      await lock.query('rollback');
      expect((await saved).statusCode).toBe(303);
      const submit = await submitted;
      expect(submit.statusCode).toBe(422);
      expect(submit.body).toContain(criterion);
    } finally {
      await lock.end();
    }
    const [sa] = await sql<{ state: string }>(
      `select sa.state from self_assessment sa join unit u on u.id = sa.unit_id where u.code = ?`,
      [unit],
    );
    expect(sa!.state).toBe('draft');
  });
});
