import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paths } from '../../src/http/paths.ts';
import { Browser, csrfToken, startTestApp, type TestApp } from '../helpers/app.ts';

// Issue 14, item 6: the unit's forms as a phone shows them — the submission summary with a label on every number and
// the total, the assignments a field at a time with only what the unit scores (a form per criterion since issue 23), "Không áp dụng" disabling the rest.

let t: TestApp;
let code: string;
const unit = 'xa-truc-thanh';
beforeAll(async () => {
  t = await startTestApp();
  code = (await sql<{ code: string }>('select code from campaign'))[0]!.code;
});
afterAll(async () => {
  await t.close();
});

function sql<T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
  return t.orm.em.fork().getConnection().execute(query, params) as Promise<T[]>;
}
const scoreIdOf = async (criterion: string) =>
  (
    await sql<{ id: number }>(
      `select cs.id from criterion_score cs join criterion c on c.id = cs.criterion_id
         join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id
        where u.code = ? and c.code = ?`,
      [unit, criterion],
    )
  )[0]!.id;
const sectionOf = (html: string, id: string) => new RegExp(`<section id="${id}"[\\s\\S]*?</section>`).exec(html)![0];

describe('the submission summary', () => {
  it('labels every number of a field and adds the total', async () => {
    const b = await Browser.signedIn(t.app, 'canbo');
    const criteria = await b.get(paths.unit.criteria(unit, code, { field: '1' }));
    const version = /name="version" value="(\d+)"/.exec(sectionOf(criteria.body, 'c-1-3'))![1]!;
    const saved = await b.request('POST', paths.unit.criterion(unit, code, '1.3'), {
      form: { _csrf: csrfToken(criteria.body), version, score: '1,25', explanation: 'Báo cáo số 3' },
    });
    expect(saved.statusCode).toBe(303);

    const page = await b.get(paths.unit.submission(unit, code));
    expect(page.statusCode).toBe(200);
    const row = /<tr><th scope="row"><a [^>]*>1\. [\s\S]*?<\/tr>/.exec(page.body)![0];
    expect(row).toContain('<td class="num" data-label="Tự chấm">1,25</td>');
    expect(row).toMatch(/<td class="num" data-label="Tối đa">[\d,]+<\/td>/);
    expect(row).toMatch(/<td class="num" data-label="Đã xong">\d+ \/ \d+ tiêu chí<\/td>/);
    const total = /<tfoot>([\s\S]*?)<\/tfoot>/.exec(page.body)![1]!;
    expect(total).toContain('<th scope="row">Tổng cộng</th>');
    expect(total).toContain('<td class="num" data-label="Tự chấm"><strong>1,25</strong></td>');
    // The maximum of the whole set (the demo's 70), the criteria of every field counted.
    expect(total).toContain('<td class="num" data-label="Tối đa">70</td>');
    expect(total).toMatch(/data-label="Đã xong">0 \/ \d+ tiêu chí</);
  });
});

describe('the assignments', () => {
  it('shows a field at a time, only the criteria the unit scores, each with its own form', async () => {
    const b = await Browser.signedIn(t.app, 'canbo');
    const page = await b.get(paths.unit.assignments(unit, code));
    expect(page.statusCode).toBe(200);
    const fields = [...page.body.matchAll(/<details class="assign" id="f-(\d+)"/g)].map((m) => m[1]);
    expect(fields).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(page.body).toContain('>Phân công 1.6.2</a>');
    // 1.8 and 1.9 are scored by the agencies only: not offered, and their own form is not found.
    expect(page.body).not.toContain('id="a-1-8"');
    expect(page.body).not.toContain('id="a-1-9"');
    expect((await b.get(paths.unit.assignment(unit, code, '1.8'))).statusCode).toBe(404);
    // Every control of a criterion's form has a visible label.
    const form = await b.get(paths.unit.assignment(unit, code, '1.6.2'));
    const [{ id: userId }] = await sql<{ id: number }>(`select id from app_user where username = 'congtac'`);
    expect(form.body).toContain(`<label for="due-u-${userId}">Hạn nội bộ của Lê Thị Ơn</label>`);
    expect(form.body).not.toMatch(/<label class="visually-hidden"/);
  });

  it("saves one criterion's form and comes back to its field open", async () => {
    const b = await Browser.signedIn(t.app, 'canbo');
    const page = await b.get(paths.unit.assignment(unit, code, '1.6.2'));
    const [{ id: userId }] = await sql<{ id: number }>(`select id from app_user where username = 'congtac'`);
    const res = await b.request('POST', paths.unit.assignment(unit, code, '1.6.2'), {
      form: { _csrf: csrfToken(page.body), [`u-${userId}`]: 'on' },
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(paths.unit.assignments(unit, code, { saved: '1.6.2', field: '1' }, 'a-1-6-2'));
    const after = await b.get(res.headers.location as string);
    expect(after.body).toContain('<details class="assign" id="f-1" open>');
    expect(after.body).toMatch(/<details class="assign" id="f-2">/);
    expect(after.body).toContain('Đã lưu phân công tiêu chí 1.6.2.');
    expect(after.body).toMatch(/1 \/ \d+ tiêu chí đã phân công/);
  });
});

describe('an assignment refused', () => {
  it('to a person who is not of the unit: 422 with the reason at the top, the choice kept, nothing written', async () => {
    const b = await Browser.signedIn(t.app, 'canbo');
    const page = await b.get(paths.unit.assignment(unit, code, '1.6.1'));
    const [{ id: stranger }] = await sql<{ id: number }>(`select id from app_user where username = 'thamdinh'`);
    const id = await scoreIdOf('1.6.1');
    const res = await b.request('POST', paths.unit.assignment(unit, code, '1.6.1'), {
      form: { _csrf: csrfToken(page.body), [`u-${stranger}`]: 'on' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Người được chọn không thuộc đơn vị.');
    const rows = await sql('select 1 from criterion_assignment where criterion_score_id = ?', [id]);
    expect(rows).toHaveLength(0);
  });
});

describe('"Không áp dụng"', () => {
  it('without JavaScript: the score sent with it is ignored, and the page after shows the score and upload disabled', async () => {
    const b = await Browser.signedIn(t.app, 'canbo');
    const criteria = await b.get(paths.unit.criteria(unit, code, { field: '1' }));
    const before = sectionOf(criteria.body, 'c-1-4');
    expect(before).not.toContain('is-na');
    const version = /name="version" value="(\d+)"/.exec(before)![1]!;
    const res = await b.request('POST', paths.unit.criterion(unit, code, '1.4'), {
      form: {
        _csrf: csrfToken(criteria.body),
        version,
        score: 'abc',
        notApplicable: 'on',
        explanation: 'Xã không có đơn vị sự nghiệp',
      },
    });
    expect(res.statusCode).toBe(303);
    const after = sectionOf((await b.get(res.headers.location as string)).body, 'c-1-4');
    expect(after).toContain('class="criterion is-na"');
    expect(after).toMatch(/<input id="c-1-4-score" name="score"[^>]* disabled/);
    expect(after).toContain('name="notApplicable" value="on" data-not-applicable checked');
    expect(after).toMatch(/<p class="add-evidence na-off"><a aria-disabled="true"/);
    // The evidence-required note is among what is dimmed.
    expect(after).toContain('<span class="na-off"> · Bắt buộc có tài liệu kiểm chứng</span>');
  });
});
