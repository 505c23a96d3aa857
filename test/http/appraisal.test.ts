import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, csrfToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { effectiveAgency } from '../../src/features/appraisal/scope.ts';
import { setCampaignState, submitUnitBySql } from '../helpers/appraisal.ts';
import { pdfBytes } from '../helpers/evidence.ts';
import { paths } from '../../src/http/paths.ts';

let t: TestApp;
let code: string;
beforeAll(async () => {
  t = await startTestApp();
  [{ code }] = await sql<{ code: string }>('select code from campaign limit 1');
  await submitUnitBySql(t.orm, 'xa-truc-thanh');
  await submitUnitBySql(t.orm, 'thi-tran-co-le', 0.5);
  await setCampaignState(t.orm, 'appraisal');
});
afterAll(async () => {
  await t.close();
});

const sql = <T = Record<string, any>>(text: string, params: unknown[] = []) =>
  t.orm.em.fork().execute<T[]>(text, params);
const agencyFields = async (username: string) =>
  (
    await sql<{ code: string }>(
      `with recursive ${effectiveAgency(null)}
   select distinct c.code from criterion c join effective_agency ea on ea.criterion_id = c.id join role_assignment r on r.agency_id = ea.agency_id join app_user u on u.id = r.user_id
    where u.username = ? and not exists (select 1 from criterion k where k.parent_id = c.id)`,
      [username],
    )
  ).map((r) => r.code);
const itemIds = (html: string) => [...html.matchAll(/href="\/appraisal\/items\/(\d+)\?/g)].map((m) => Number(m[1]));
const appraisalOf = async (id: number) => (await sql('select * from appraisal where id = ?', [id]))[0];

const signedIn = (username: string) => Browser.signedIn(t.app, username);

async function act(b: Browser, id: number, form: Record<string, string>, headers?: Record<string, string>) {
  const page = await b.get(paths.appraisal.item(id, { campaign: code }));
  const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '1';
  return b.request('POST', paths.appraisal.item(id, { campaign: code }), {
    form: { _csrf: csrfToken(page.body), version, ...form },
    headers,
  });
}

describe('the queue', () => {
  it("holds only the appraiser's agency's criteria of submitted units", async () => {
    const b = await signedIn('thamdinh');
    const res = await b.get(paths.appraisal.queue({ campaign: code }));
    expect(res.statusCode).toBe(200);
    const ids = itemIds(res.body);
    const rows = await sql<{ unit: string; criterion: string }>(
      `select u.code as unit, c.code as criterion from appraisal a join criterion_score cs on cs.id = a.criterion_score_id join self_assessment sa on sa.id = cs.self_assessment_id
         join unit u on u.id = sa.unit_id join criterion c on c.id = cs.criterion_id where a.id = any(?::int[])`,
      [`{${[...new Set(ids)].join(',')}}`],
    );
    const mine = new Set(await agencyFields('thamdinh'));
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.every((r) => mine.has(r.criterion))).toBe(true);
    expect(new Set(rows.map((r) => r.unit))).toEqual(new Set(['xa-truc-thanh', 'thi-tran-co-le']));
    expect(res.body).toContain('Chưa thẩm định');
  });

  it('is not open to a unit, and an item of another agency is not found', async () => {
    expect((await (await signedIn('canbo')).get('/appraisal')).statusCode).toBe(404);
    const mine = itemIds((await (await signedIn('thamdinh')).get(paths.appraisal.queue({ campaign: code }))).body);
    const other = await signedIn('thamdinh-tuphap');
    expect((await other.get(paths.appraisal.item(mine[0]))).statusCode).toBe(404);
  });
});

describe('appraising an item', () => {
  it('accept-and-next: one POST, the score taken as self-scored, then the next item (a redirect without JavaScript)', async () => {
    const b = await signedIn('thamdinh');
    const [first] = itemIds((await b.get(paths.appraisal.queue({ campaign: code }))).body);
    const res = await act(b, first, { action: 'accept' });
    expect(res.statusCode).toBe(303);
    const next = Number(/\/appraisal\/items\/(\d+)/.exec(res.headers.location as string)![1]);
    expect(next).not.toBe(first);
    const row = await appraisalOf(first);
    const [self] = await sql('select self_score from criterion_score where id = ?', [row.criterion_score_id]);
    expect([row.state, row.appraised_score]).toEqual(['accepted', self.self_score]);
    const [audit] = await sql(`select action from audit_event where entity_type = 'Appraisal' and entity_id = ?`, [
      String(first),
    ]);
    expect(audit.action).toBe('appraisal.accepted');
  });

  it('with htmx the answer is the next item itself, in one swap', async () => {
    const b = await signedIn('thamdinh');
    const queue = await b.get(paths.appraisal.queue({ campaign: code, state: 'todo' }));
    const [id] = itemIds(queue.body);
    const res = await act(b, id, { action: 'accept' }, { 'hx-request': 'true', 'hx-target': 'div#item' });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<html');
    expect(res.body).toMatch(/^\s*<div id="item"/);
    expect(res.headers['hx-push-url']).toMatch(/^\/appraisal\/items\/\d+\?/);
    expect(res.headers['hx-push-url']).not.toContain(`/items/${id}?`);
    expect((await appraisalOf(id)).state).toBe('accepted');
  });

  it("never offers an item twice while working through a unit's field", async () => {
    const b = await signedIn('thamdinh');
    const seen = new Set<number>();
    let url = (
      /href="(\/appraisal\/items\/\d+\?[^"]+)"[^>]*autofocus/.exec(
        (await b.get(paths.appraisal.queue({ campaign: code, unit: 'thi-tran-co-le', field: '5' }))).body,
      )?.[1] ?? ''
    ).replaceAll('&amp;', '&');
    for (let step = 0; step < 40 && url.startsWith('/appraisal/items/'); step++) {
      const id = Number(/items\/(\d+)/.exec(url)![1]);
      expect(seen.has(id), `item ${id} offered twice`).toBe(false);
      seen.add(id);
      const page = await b.get(url);
      const res = await b.request('POST', url, {
        form: {
          _csrf: csrfToken(page.body),
          version: /name="version" value="(\d+)"/.exec(page.body)![1],
          action: 'accept',
        },
      });
      expect(res.statusCode).toBe(303);
      url = res.headers.location as string;
    }
    expect(url).toContain('/appraisal/queue');
    expect(seen.size).toBeGreaterThan(2);
  });

  it('requires a reason when the score differs, and keeps what was typed', async () => {
    const b = await signedIn('thamdinh');
    const [id] = itemIds((await b.get(`/appraisal/queue?campaign=${code}&state=todo&unit=xa-truc-thanh`)).body);
    const page = await b.get(paths.appraisal.item(id));
    const plain = !/name="level"|name="achieved"/.test(page.body);
    const lower: Record<string, string> = plain
      ? { score: '0' }
      : /name="level" value="([^"]+)"/.test(page.body)
        ? { level: [...page.body.matchAll(/name="level" value="([^"]+)"/g)].at(-1)![1] }
        : { achieved: '0', total: '10' };
    const missing = await act(b, id, { action: 'adjust', ...lower, reason: '' });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('Nhập lý do khi điểm thẩm định khác điểm tự chấm.');
    expect((await appraisalOf(id)).state).toBe('todo');
    const ok = await act(b, id, { action: 'adjust', ...lower, reason: 'Tài liệu không khớp số liệu' });
    expect(ok.statusCode).toBe(303);
    const row = await appraisalOf(id);
    expect([row.state, row.reason]).toEqual(['adjusted', 'Tài liệu không khớp số liệu']);
  });

  it("gives 0 with one of seed 003's reasons in one click", async () => {
    const b = await signedIn('thamdinh');
    const [id] = itemIds((await b.get(`/appraisal/queue?campaign=${code}&state=todo&unit=xa-truc-thanh`)).body);
    // The unit gave no file for this item: the evidence grounds do not apply and are refused; the explanation one does.
    expect((await act(b, id, { action: 'quick', ground: 'scan' })).statusCode).toBe(422);
    expect((await act(b, id, { action: 'quick', ground: 'unclear' })).statusCode).toBe(303);
    const row = await appraisalOf(id);
    expect([row.state, Number(row.appraised_score)]).toEqual(['adjusted', 0]);
    expect(row.reason).toContain('Giải trình không rõ ràng');
  });

  it('two appraisers racing on one item: one wins, the other is told and loses nothing', async () => {
    const [a, b] = [await signedIn('thamdinh'), await signedIn('thamdinh')];
    const [id] = itemIds((await a.get(`/appraisal/queue?campaign=${code}&state=todo&unit=thi-tran-co-le`)).body);
    const [pa, pb] = [await a.get(paths.appraisal.item(id)), await b.get(paths.appraisal.item(id))];
    const version = /name="version" value="(\d+)"/.exec(pa.body)![1];
    const [ra, rb] = await Promise.all([
      a.request('POST', paths.appraisal.item(id), { form: { _csrf: csrfToken(pa.body), version, action: 'accept' } }),
      b.request('POST', paths.appraisal.item(id), {
        form: { _csrf: csrfToken(pb.body), version, action: 'quick', ground: 'unclear' },
      }),
    ]);
    const statuses = [ra.statusCode, rb.statusCode].sort();
    expect(statuses).toEqual([303, 409]);
    const loser = ra.statusCode === 409 ? ra : rb;
    expect(loser.body).toContain('vừa được người khác thẩm định');
    const row = await appraisalOf(id);
    expect(row.version).toBe(Number(version) + 1);
    expect(row.state).toBe(ra.statusCode === 303 ? 'accepted' : 'adjusted');
    const [{ n }] = await sql(
      `select count(*)::int as n from audit_event where entity_type = 'Appraisal' and entity_id = ?`,
      [String(id)],
    );
    expect(n).toBe(1);
  });
});

describe('supplementary explanations', () => {
  it('go round: asked, answered by the unit before the due date, then decided', async () => {
    const appraiser = await signedIn('thamdinh');
    const [id] = itemIds((await appraiser.get(`/appraisal/queue?campaign=${code}&state=todo&unit=xa-truc-thanh`)).body);
    const asked = await act(appraiser, id, {
      action: 'request',
      message: 'Đề nghị nêu rõ trang có số liệu.',
      dueDate: '',
    });
    expect(asked.statusCode).toBe(303);
    expect((await appraisalOf(id)).state).toBe('waiting');
    const early = await act(appraiser, id, { action: 'accept' });
    expect(early.statusCode).toBe(409);
    expect(early.body).toContain('Đang chờ đơn vị giải trình');

    const officer = await signedIn('canbo');
    const base = paths.unit.campaign('xa-truc-thanh', code);
    const list = await officer.get(`${base}/explanations`);
    expect(list.body).toContain('Đề nghị nêu rõ trang có số liệu.');
    const [, requestId] = /action="[^"]*\/explanations\/(\d+)"/.exec(list.body)!;
    const empty = await officer.request('POST', `${base}/explanations/${requestId}`, {
      form: { _csrf: csrfToken(list.body), answer: ' ' },
    });
    expect(empty.statusCode).toBe(422);
    const pdf = await pdfBytes({ text: 'Bao cao bo sung so 20/BC-UBND' });
    const boundary = '----cchcanswer';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="documentNumber"\r\n\r\n20/BC-UBND\r\n`),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="Báo cáo bổ sung.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
      ),
      pdf,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const upload = await t.app.inject({
      method: 'POST',
      url: `${base}/explanations/${requestId}/evidence?_csrf=${encodeURIComponent(csrfToken(list.body))}`,
      headers: { cookie: officer.cookieHeader, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    expect(upload.statusCode).toBe(303);
    const [file] = await sql(
      `select original_name, explanation_request_id from evidence_file where explanation_request_id = ?`,
      [Number(requestId)],
    );
    expect(file.original_name).toBe('Báo cáo bổ sung.pdf');
    const answered = await officer.request('POST', `${base}/explanations/${requestId}`, {
      form: { _csrf: csrfToken(list.body), answer: 'Số liệu tại trang 4, mục II.' },
    });
    expect(answered.statusCode).toBe(303);
    expect((await appraisalOf(id)).state).toBe('answered');
    expect((await officer.get(`${base}/explanations`)).body).toContain('Số liệu tại trang 4, mục II.');

    const item = await appraiser.get(paths.appraisal.item(id));
    expect(item.body).toContain('Số liệu tại trang 4, mục II.');
    expect(item.body).toContain('Báo cáo bổ sung.pdf');
    const fileId = /\/appraisal\/items\/\d+\/evidence\/(\d+)/.exec(item.body)![1];
    const opened = await appraiser.get(paths.appraisal.evidence(id, fileId));
    expect(opened.statusCode).toBe(200);
    expect(opened.headers['content-disposition']).toMatch(/^inline/);
    expect((await (await signedIn('thamdinh-tuphap')).get(paths.appraisal.evidence(id, fileId))).statusCode).toBe(404);
    expect((await act(appraiser, id, { action: 'accept' })).statusCode).toBe(303);
    expect((await appraisalOf(id)).state).toBe('accepted');
  });

  it('unanswered past the due date, the appraiser decides with what is there; the unit can no longer answer', async () => {
    const appraiser = await signedIn('thamdinh');
    const [id] = itemIds((await appraiser.get(`/appraisal/queue?campaign=${code}&state=todo&unit=xa-truc-thanh`)).body);
    await act(appraiser, id, { action: 'request', message: 'Bổ sung văn bản.', dueDate: '' });
    await sql(`update explanation_request set due_date = current_date - 3 where appraisal_id = ?`, [id]);
    const list = await (await signedIn('canbo')).get(paths.unit.explanations('xa-truc-thanh', code));
    expect(list.body).toContain('Đã hết hạn trả lời.');
    expect((await act(appraiser, id, { action: 'quick', ground: 'unclear' })).statusCode).toBe(303);
    expect((await appraisalOf(id)).state).toBe('adjusted');
  });

  it("a unit never sees another unit's requests", async () => {
    const other = await signedIn('canbo2');
    expect((await other.get(paths.unit.explanations('xa-truc-thanh', code))).statusCode).toBe(404);
  });
});

describe('after the appraisal phase', () => {
  it('nothing changes', async () => {
    const b = await signedIn('thamdinh');
    const [id] = itemIds((await b.get(paths.appraisal.queue({ campaign: code, state: 'todo' }))).body);
    await setCampaignState(t.orm, 'council-review');
    const page = await b.get(paths.appraisal.item(id));
    expect(page.body).toContain('chỉ xem');
    const res = await b.request('POST', paths.appraisal.item(id), {
      form: { _csrf: csrfToken(page.body), version: '1', action: 'accept' },
    });
    expect(res.statusCode).toBe(409);
    expect((await appraisalOf(id)).state).toBe('todo');
    await setCampaignState(t.orm, 'appraisal');
  });
});
