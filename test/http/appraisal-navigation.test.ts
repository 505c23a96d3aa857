import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, csrfToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { effectiveAgency } from '../../src/features/appraisal/scope.ts';
import { setCampaignState, submitUnitBySql } from '../helpers/appraisal.ts';
import { intArray } from '../../src/db/sql.ts';
import { paths } from '../../src/http/paths.ts';

// The item page and accept-and-next step through the queue unit by unit with keyset queries (features/appraisal/queue.ts).
// Here they are checked against the queue's definition, computed plainly from every item: ordered by unit name as
// Vietnamese readers sort it, unit code, criterion position; "next" is the following item that needs the appraiser,
// wrapping round; "previous" is the item before, whatever its state.

let t: TestApp;
let code: string;
const units = ['xa-truc-thanh', 'xa-truc-dao', 'xa-truc-chinh', 'xa-truc-tuan', 'xa-phuong-dinh', 'xa-trung-dong'];
const today = new Date().toISOString().slice(0, 10);

const sql = <T = Record<string, any>>(text: string, params: unknown[] = []) =>
  t.orm.em.fork().execute<T[]>(text, params);

interface Row {
  id: number;
  unit_code: string;
  unit_name: string;
  code: string;
  position: number;
  state: string;
  due: string | null;
}
let queue: Row[];
let exempted: string;

const needs = (r: Row) =>
  r.state === 'todo' || r.state === 'answered' || (r.state === 'waiting' && r.due !== null && r.due < today);

/** Every item of the Nội vụ appraiser (thamdinh), in queue order, from the plain definition. */
async function plainQueue(): Promise<Row[]> {
  const rows = await sql<Row>(
    `with recursive ${effectiveAgency(null)}
     select a.id, u.code as unit_code, u.name as unit_name, c.code, c.position, a.state,
            (select to_char(r.due_date, 'YYYY-MM-DD') from explanation_request r where r.appraisal_id = a.id and r.answered_at is null order by r.id desc limit 1) as due
       from appraisal a join criterion_score cs on cs.id = a.criterion_score_id join criterion c on c.id = cs.criterion_id
       join self_assessment sa on sa.id = cs.self_assessment_id and sa.state = 'submitted' join unit u on u.id = sa.unit_id
       join effective_agency ea on ea.criterion_id = c.id join role_assignment ra on ra.agency_id = ea.agency_id join app_user p on p.id = ra.user_id and p.username = 'thamdinh'
      where not exists (select 1 from exemption e join criterion ec on ec.id = e.criterion_id
                         where e.unit_id = u.id and (c.code = ec.code or c.code like ec.code || '.%'))`,
  );
  const vi = new Intl.Collator('vi');
  return rows.sort(
    (a, b) =>
      vi.compare(a.unit_name, b.unit_name) ||
      (a.unit_code < b.unit_code ? -1 : a.unit_code > b.unit_code ? 1 : 0) ||
      a.position - b.position,
  );
}

function expectedNext(at: number): number | null {
  for (let step = 1; step < queue.length; step++) {
    const r = queue[(at + step) % queue.length]!;
    if (needs(r)) return r.id;
  }
  return null;
}

beforeAll(async () => {
  t = await startTestApp();
  [{ code }] = await sql<{ code: string }>('select code from campaign limit 1');
  for (const u of units) await submitUnitBySql(t.orm, u);
  await setCampaignState(t.orm, 'appraisal');
  // Some items decided, one waiting past its due date (needs the appraiser), one still within it (does not), one
  // answered (needs), and a whole field of one unit exempted (not in the queue at all).
  const all = await plainQueue();
  const [thamdinh] = await sql<{ id: number }>(`select id from app_user where username = 'thamdinh'`);
  const pick = (i: number) => all[i]!.id;
  await sql(`update appraisal set state = 'accepted' where id = any(?::int[])`, [
    intArray([pick(0), pick(1), pick(2), ...all.slice(5, 40).map((r) => r.id)]),
  ]);
  for (const [i, state, due] of [
    [3, 'waiting', '2000-01-01'],
    [4, 'waiting', '2999-01-01'],
    [41, 'answered', '2999-01-01'],
  ] as const) {
    await sql(`update appraisal set state = ? where id = ?`, [state, pick(i)]);
    await sql(
      `insert into explanation_request (appraisal_id, message, due_date, requested_by_id, requested_at, answer, answered_at)
               values (?, 'Bổ sung', ?, ?, now(), ?, ?)`,
      [
        pick(i),
        due,
        thamdinh!.id,
        state === 'answered' ? 'Đã bổ sung' : null,
        state === 'answered' ? new Date() : null,
      ],
    );
  }
  exempted = all
    .find((r) => r.unit_code === 'xa-truc-tuan')!
    .code.split('.')
    .slice(0, 2)
    .join('.');
  await sql(
    `insert into exemption (campaign_id, unit_id, criterion_id, reason)
             select k.id, u.id, c.id, 'Không có đơn vị sự nghiệp' from campaign k, unit u, criterion c
              where u.code = 'xa-truc-tuan' and c.code = ? and c.criteria_set_id = k.criteria_set_id`,
    [exempted],
  );
  queue = await plainQueue();
  expect(queue.length).toBeLessThan(all.length);
});
afterAll(async () => {
  await t.close();
});

describe('moving through a queue of several units', () => {
  it('orders units as Vietnamese readers do and leaves the exempted field out', () => {
    const order = [...new Set(queue.map((r) => r.unit_code))];
    expect(order).toEqual([
      'xa-phuong-dinh',
      'xa-trung-dong',
      'xa-truc-chinh',
      'xa-truc-dao',
      'xa-truc-thanh',
      'xa-truc-tuan',
    ]);
    expect(queue.length).toBeGreaterThan(200);
    expect(queue.some((r) => r.unit_code === 'xa-truc-tuan' && r.code.startsWith(`${exempted}.`))).toBe(false);
    expect(queue.some((r) => r.unit_code === 'xa-truc-dao' && r.code.startsWith(`${exempted}.`))).toBe(true);
  });

  it('every item page links the previous item and the next one to decide, and says where it is', async () => {
    const b = await Browser.signedIn(t.app, 'thamdinh');
    const unitNumbers = [...new Set(queue.map((r) => r.unit_code))];
    // Every item of two units (the first with decided, waiting and answered items; the last, to wrap round) and the
    // first and last items of the others.
    const sample = queue
      .map((r, i) => ({ r, i }))
      .filter(
        ({ r, i }) =>
          r.unit_code === unitNumbers[0] ||
          r.unit_code === unitNumbers.at(-1) ||
          queue[i - 1]?.unit_code !== r.unit_code ||
          queue[i + 1]?.unit_code !== r.unit_code,
      );
    for (const { r, i } of sample) {
      const page = await b.get(paths.appraisal.item(r.id, { campaign: code }));
      expect(page.statusCode).toBe(200);
      const next = /href="\/appraisal\/items\/(\d+)\?[^"]*" rel="next"/.exec(page.body)?.[1];
      const prev = /href="\/appraisal\/items\/(\d+)\?[^"]*" rel="prev"/.exec(page.body)?.[1];
      expect({ at: i, next: next ? Number(next) : null }).toEqual({ at: i, next: expectedNext(i) });
      expect({ at: i, prev: prev ? Number(prev) : null }).toEqual({ at: i, prev: i > 0 ? queue[i - 1]!.id : null });
      const ofUnit = queue.filter((x) => x.unit_code === r.unit_code);
      const n = ofUnit.findIndex((x) => x.id === r.id) + 1;
      expect(page.body).toContain(
        `Tiêu chí ${n} trong ${ofUnit.length} của ${r.unit_name} · đơn vị ${unitNumbers.indexOf(r.unit_code) + 1} trong ${unitNumbers.length} của bộ lọc`,
      );
    }
  });

  it('within one unit, the unit filter keeps "next" inside it and wraps round there', async () => {
    const b = await Browser.signedIn(t.app, 'thamdinh');
    const mine = queue.filter((r) => r.unit_code === 'xa-truc-tuan');
    const lastNeeding = [...mine].reverse().find(needs)!;
    const firstNeeding = mine.find(needs)!;
    const page = await b.get(paths.appraisal.item(lastNeeding.id, { campaign: code, unit: 'xa-truc-tuan' }));
    expect(/href="\/appraisal\/items\/(\d+)\?[^"]*" rel="next"/.exec(page.body)?.[1]).toBe(String(firstNeeding.id));
    expect(page.body).not.toContain('đơn vị 6 / 6');
  });

  it("accept-and-next on a unit's last item goes on to the next unit that has work, skipping decided items", async () => {
    const b = await Browser.signedIn(t.app, 'thamdinh');
    const firstUnit = queue.filter((r) => r.unit_code === queue[0]!.unit_code);
    const last = [...firstUnit].reverse().find(needs)!;
    const page = await b.get(paths.appraisal.item(last.id, { campaign: code }));
    const version = /name="version" value="(\d+)"/.exec(page.body)![1]!;
    const res = await b.request('POST', paths.appraisal.item(last.id, { campaign: code }), {
      form: { _csrf: csrfToken(page.body), version, action: 'accept' },
    });
    expect(res.statusCode).toBe(303);
    const at = queue.findIndex((r) => r.id === last.id);
    queue[at]!.state = 'accepted';
    expect(res.headers.location).toBe(`/appraisal/items/${expectedNext(at)}?campaign=${code}`);
    expect(queue[queue.findIndex((r) => r.id === expectedNext(at))]!.unit_code).not.toBe(queue[0]!.unit_code);
  });

  it('the queue page lists 200 items at a time, in order, with links between pages', async () => {
    const b = await Browser.signedIn(t.app, 'thamdinh');
    const ids = (html: string) =>
      [...html.matchAll(/<td data-label="[^"]*"><a href="\/appraisal\/items\/(\d+)\?/g)].map((m) => Number(m[1]));
    const first = await b.get(paths.appraisal.queue({ campaign: code }));
    expect(ids(first.body)).toEqual(queue.slice(0, 200).map((r) => r.id));
    expect(first.body).toContain(`Trang 1 / ${Math.ceil(queue.length / 200)}: dòng 1–200 trong ${queue.length}.`);
    expect(first.body).toMatch(/<a href="\/appraisal\/queue\?campaign=[^"]*&amp;page=2" rel="next">/);
    const second = await b.get(paths.appraisal.queue({ campaign: code }, { page: 2 }));
    expect(ids(second.body)).toEqual(queue.slice(200, 400).map((r) => r.id));
    // A page past the end shows the last one; a page that is not a number, the first.
    expect(ids((await b.get(paths.appraisal.queue({ campaign: code }, { page: 99 }))).body)).toEqual(ids(second.body));
    expect(ids((await b.get(`/appraisal/queue?campaign=${code}&page=abc`)).body)).toEqual(ids(first.body));
    // The start button opens the first item that needs the appraiser.
    expect(/href="\/appraisal\/items\/(\d+)\?[^"]*" autofocus/.exec(first.body)?.[1]).toBe(
      String(queue.find(needs)!.id),
    );
    // The state filter pages within the state.
    const todo = await b.get(paths.appraisal.queue({ campaign: code, state: 'todo' }));
    expect(ids(todo.body)).toEqual(
      queue
        .filter((r) => r.state === 'todo')
        .slice(0, 200)
        .map((r) => r.id),
    );
  });
});
