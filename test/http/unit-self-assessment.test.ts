import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, csrfToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { paths } from '../../src/http/paths.ts';

let t: TestApp;
let code: string;
let base: string;
const leaf: Record<'plain' | 'levels' | 'ratio', { code: string; max: string; scoring: string | null }> = {} as never;
beforeAll(async () => {
  t = await startTestApp();
  [{ code }] = await sql<{ code: string }>('select code from campaign limit 1');
  base = paths.unit.campaign('xa-truc-thanh', code);
  const leaves = await sql<{ code: string; max: string; scoring: string | null }>(
    `select c.code, c.max_score as max, c.scoring from criterion c
      where c.kind = 'self' and not exists (select 1 from criterion k where k.parent_id = c.id) and c.min_score = 0 order by c.position`,
  );
  leaf.plain = leaves.find((l) => !l.scoring)!;
  leaf.levels = leaves.find((l) => l.scoring?.startsWith('levels'))!;
  leaf.ratio = leaves.find((l) => l.scoring?.startsWith('ratio'))!;
});
afterAll(async () => {
  await t.close();
});

const sql = <T = Record<string, any>>(text: string, params: unknown[] = []) => t.orm.em.execute<T[]>(text, params);
const scoreOf = async (unit: string, criterion: string) =>
  (
    await sql(
      `select cs.* from criterion_score cs join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id
               join criterion c on c.id = cs.criterion_id where u.code = ? and c.code = ?`,
      [unit, criterion],
    )
  )[0];
const field = (c: string) => c.split('.')[0];

const signedIn = (username: string) => Browser.signedIn(t.app, username);

async function save(
  b: Browser,
  criterion: string,
  form: Record<string, string>,
  headers?: Record<string, string>,
  unitBase = base,
) {
  const page = await b.get(`${unitBase}/criteria?field=${field(criterion)}`);
  const version =
    form.version ??
    new RegExp(`id="c-${criterion.replaceAll('.', '-')}"[\\s\\S]*?name="version" value="(\\d+)"`).exec(
      page.body,
    )?.[1] ??
    '1';
  return b.request('POST', `${unitBase}/criteria/${criterion}`, {
    form: { _csrf: csrfToken(page.body), explanation: '', version, ...form },
    headers,
  });
}

describe('the unit home', () => {
  it('shows the deadline and each field as a task with links to what is missing', async () => {
    const res = await (await signedIn('canbo')).get(base);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/Hạn tự đánh giá: \d\d\/\d\d\/\d{4}/);
    expect(res.body).toContain('Công tác lãnh đạo, chỉ đạo');
    expect(res.body).toContain(`${base}/criteria?field=1&amp;missing=score`);
  });
});

describe('saving a criterion', () => {
  it('without JavaScript: a plain POST, then a redirect back to that criterion', async () => {
    const b = await signedIn('canbo');
    const res = await save(b, leaf.plain.code, {
      score: '0,5',
      explanation: 'Kế hoạch số 12/KH-UBND, mục II, trang 3',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toContain(`#c-${leaf.plain.code.replaceAll('.', '-')}`);
    const row = await scoreOf('xa-truc-thanh', leaf.plain.code);
    expect(row.self_score).toBe('0.500');
    expect(row.explanation).toBe('Kế hoạch số 12/KH-UBND, mục II, trang 3');
    const [audit] = await sql(
      `select actor_id, before, after from audit_event where action = 'criterion-score.saved' order by id desc limit 1`,
    );
    expect(audit.after.selfScore).toBe('0.500');
  });

  it('with htmx: only that criterion comes back, saved', async () => {
    const b = await signedIn('canbo');
    const anchor = `c-${leaf.plain.code.replaceAll('.', '-')}`;
    const res = await save(
      b,
      leaf.plain.code,
      { score: '0.25', explanation: 'Báo cáo 45/BC-UBND trang 2' },
      { 'hx-request': 'true', 'hx-target': `section#${anchor}` },
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<html');
    expect(res.body).toMatch(new RegExp(`^\\s*<section id="${anchor}"`));
    expect(res.body).toContain('Đã lưu');
    expect(res.headers.vary).toContain('HX-Request');
  });

  it('refuses a score out of range beside the field, keeps what was typed, and writes nothing', async () => {
    const b = await signedIn('canbo');
    const before = await scoreOf('xa-truc-thanh', leaf.plain.code);
    const res = await save(b, leaf.plain.code, { score: '99', explanation: 'giữ nguyên nội dung này' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Điểm tối đa là');
    expect(res.body).toContain('value="99"');
    expect(res.body).toContain('giữ nguyên nội dung này');
    expect((await scoreOf('xa-truc-thanh', leaf.plain.code)).version).toBe(before.version);
    const words = await save(b, leaf.plain.code, { score: 'một' });
    expect(words.statusCode).toBe(422);
    expect(words.body).toContain('Điểm phải là số');
  });

  it('computes the score from a chosen level and from declared counts', async () => {
    const b = await signedIn('canbo');
    const level = /levels:\s*([^=;]+)=/.exec(leaf.levels.scoring!)![1].trim();
    expect((await save(b, leaf.levels.code, { level, explanation: 'x' })).statusCode).toBe(303);
    expect((await scoreOf('xa-truc-thanh', leaf.levels.code)).self_score).toBe(Number(leaf.levels.max).toFixed(3));
    expect((await save(b, leaf.ratio.code, { achieved: '100', total: '100', explanation: 'x' })).statusCode).toBe(303);
    const ratio = await scoreOf('xa-truc-thanh', leaf.ratio.code);
    expect([ratio.declared_achieved, ratio.declared_total, ratio.self_score]).toEqual([
      100,
      100,
      Number(leaf.ratio.max).toFixed(3),
    ]);
    const zero = await save(b, leaf.ratio.code, { achieved: '0', total: '0' });
    expect(zero.statusCode).toBe(422);
    expect(zero.body).toContain('Tổng số phải lớn hơn 0');
  });

  it("never overwrites a colleague's save: the second gets both versions and nothing is lost", async () => {
    const [officer, head] = [await signedIn('canbo'), await signedIn('chutichxa')];
    const { version } = await scoreOf('xa-truc-thanh', leaf.plain.code);
    const first = await save(officer, leaf.plain.code, {
      score: '1',
      explanation: 'Bản của cán bộ',
      version: String(version),
    });
    expect(first.statusCode).toBe(303);
    const second = await save(head, leaf.plain.code, {
      score: '0',
      explanation: 'Bản của chủ tịch',
      version: String(version),
    });
    expect(second.statusCode).toBe(409);
    expect(second.body).toContain('Bản của cán bộ');
    expect(second.body).toContain('Bản của chủ tịch');
    expect((await scoreOf('xa-truc-thanh', leaf.plain.code)).explanation).toBe('Bản của cán bộ');
  });

  it("is not found for another unit's officer", async () => {
    const b = await signedIn('canbo2');
    const page = await b.get(paths.unit.criteria('xa-truc-dao', code));
    const res = await b.request('POST', `${base}/criteria/${leaf.plain.code}`, {
      form: { _csrf: csrfToken(page.body), score: '0', version: '1', explanation: '' },
    });
    expect(res.statusCode).toBe(404);
    expect((await b.get(`${base}/criteria?field=1`)).statusCode).toBe(404);
  });
});

describe('assignments inside the unit', () => {
  it('let a contributor see only what was assigned to them, add to it, and leave the score to the officer', async () => {
    const contributor = await signedIn('congtac');
    expect((await contributor.get(base)).body).toContain('Bạn chưa được phân công tiêu chí nào');
    const refused = await save(contributor, leaf.levels.code, { level: 'x', version: '1' });
    expect(refused.statusCode).toBe(404);

    // The officer names a body, then gives the criterion to the contributor and to the body (issue 23).
    const officer = await signedIn('canbo');
    const bodies = await officer.get(paths.unit.bodies('xa-truc-thanh', code));
    expect(
      (
        await officer.request('POST', paths.unit.bodies('xa-truc-thanh', code), {
          form: { _csrf: csrfToken(bodies.body), name: 'Trạm Y tế', contact: '' },
        })
      ).statusCode,
    ).toBe(303);
    const [{ id: bodyId }] = await sql<{ id: number }>(`select id from unit_body where name = 'Trạm Y tế'`);
    const [{ id: userId }] = await sql<{ id: number }>(`select id from app_user where username = 'congtac'`);
    const form = await officer.get(paths.unit.assignment('xa-truc-thanh', code, leaf.plain.code));
    const res = await officer.request('POST', paths.unit.assignment('xa-truc-thanh', code, leaf.plain.code), {
      form: { _csrf: csrfToken(form.body), [`u-${userId}`]: 'on', [`b-${bodyId}`]: 'on' },
    });
    expect(res.statusCode).toBe(303);
    expect((await officer.get(`${base}/criteria?field=${field(leaf.plain.code)}`)).body).toContain(
      'Phụ trách: Lê Thị Ơn, Trạm Y tế',
    );

    const mine = await contributor.get(`${base}/criteria?field=${field(leaf.plain.code)}`);
    expect(mine.body).toContain(`id="c-${leaf.plain.code.replaceAll('.', '-')}"`);
    expect((mine.body.match(/<section id="c-/g) ?? []).length).toBe(1);
    // The officer alone compiles the score: the contributor's save is refused, their note is taken.
    expect(
      (await save(contributor, leaf.plain.code, { score: '0.5', explanation: 'Người được phân công nhập' })).statusCode,
    ).toBe(403);
    expect((await save(contributor, leaf.levels.code, { level: 'x', version: '1' })).statusCode).toBe(404);
    expect((await contributor.get(`${base}/assignments`)).statusCode).toBe(404);
  });

  it('refuses a person from another unit', async () => {
    const officer = await signedIn('canbo');
    const [{ code: criterion }] = await sql<{ code: string }>(
      `select c.code from criterion c where c.kind = 'self' and not exists (select 1 from criterion k where k.parent_id = c.id) order by c.position limit 1`,
    );
    const page = await officer.get(paths.unit.assignment('xa-truc-thanh', code, criterion));
    const [{ id: other }] = await sql<{ id: number }>(`select id from app_user where username = 'canbo2'`);
    const res = await officer.request('POST', paths.unit.assignment('xa-truc-thanh', code, criterion), {
      form: { _csrf: csrfToken(page.body), [`u-${other}`]: 'on' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Người được chọn không thuộc đơn vị.');
  });
});

describe('submission', () => {
  it('lists what is missing, refuses an incomplete submission and the officer', async () => {
    const head = await signedIn('chutichxa');
    const page = await head.get(`${base}/submission`);
    expect(page.body).toContain('Cần hoàn thành trước khi nộp');
    const res = await head.request('POST', `${base}/submission`, { form: { _csrf: csrfToken(page.body) } });
    expect(res.statusCode).toBe(422);
    const officer = await signedIn('canbo');
    const p2 = await officer.get(`${base}/submission`);
    expect(
      (await officer.request('POST', `${base}/submission`, { form: { _csrf: csrfToken(p2.body) } })).statusCode,
    ).toBe(403);
    expect((await scoreOf('xa-truc-thanh', leaf.plain.code)).self_score).not.toBeNull();
    expect(
      (
        await sql(
          `select state from self_assessment sa join unit u on u.id = sa.unit_id where u.code = 'xa-truc-thanh'`,
        )
      )[0].state,
    ).toBe('draft');
  });

  it('locks a complete self-assessment, opens the appraisal items, and nothing changes after', async () => {
    await sql(`update criterion_score cs set self_score = c.max_score, explanation = 'Đủ', version = version + 1
                 from criterion c, self_assessment sa, unit u
                where c.id = cs.criterion_id and sa.id = cs.self_assessment_id and u.id = sa.unit_id and u.code = 'xa-truc-thanh'`);
    await sql(`update criterion set evidence_required = false`);
    const head = await signedIn('chutichxa');
    const page = await head.get(`${base}/submission`);
    expect(page.body).toContain('Đã đủ thông tin');
    const res = await head.request('POST', `${base}/submission`, { form: { _csrf: csrfToken(page.body) } });
    expect(res.statusCode).toBe(303);
    const [sa] = await sql(
      `select sa.state, sa.submitted_at, u2.username from self_assessment sa join unit u on u.id = sa.unit_id join app_user u2 on u2.id = sa.submitted_by_id where u.code = 'xa-truc-thanh'`,
    );
    expect([sa.state, sa.username]).toEqual(['submitted', 'chutichxa']);
    const [{ n }] = await sql(
      `select count(*)::int as n from appraisal a join criterion_score cs on cs.id = a.criterion_score_id join self_assessment s on s.id = cs.self_assessment_id join unit u on u.id = s.unit_id where u.code = 'xa-truc-thanh' and a.state = 'todo'`,
    );
    expect(n).toBeGreaterThan(100);
    expect((await head.get(`${base}/submission`)).body).toContain('Đã nộp tự đánh giá');
    const late = await save(await signedIn('canbo'), leaf.plain.code, { score: '0', explanation: 'sửa sau khi nộp' });
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('đã nộp tự đánh giá');
    expect((await scoreOf('xa-truc-thanh', leaf.plain.code)).explanation).toBe('Đủ');
  });

  it("after the window closes nothing changes, unless this unit's deadline was extended", async () => {
    await sql(`update campaign set self_assessment_closes = current_date - 2`);
    const officer = await signedIn('canbo2');
    const daoBase = paths.unit.campaign('xa-truc-dao', code);
    const closed = await save(officer, leaf.plain.code, { score: '0.5', explanation: 'trễ hạn' }, undefined, daoBase);
    expect(closed.statusCode).toBe(409);
    expect(closed.body).toContain('hết hạn');
    await sql(
      `update campaign_unit set deadline_extended_to = current_date + 1 where unit_id = (select id from unit where code = 'xa-truc-dao')`,
    );
    expect(
      (await save(officer, leaf.plain.code, { score: '0.5', explanation: 'được gia hạn' }, undefined, daoBase))
        .statusCode,
    ).toBe(303);
  });
});
