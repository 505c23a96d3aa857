import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, startTestApp, type TestApp } from '../helpers/app.ts';
import { paths } from '../../src/http/paths.ts';

let t: TestApp;
let admin: Browser;
beforeAll(async () => {
  t = await startTestApp();
  admin = new Browser(t.app);
  await admin.signIn('admin');
});
afterAll(async () => {
  await t.close();
});

const sql = <T = Record<string, any>>(text: string, params: unknown[] = []) =>
  t.orm.em.getConnection().execute<T[]>(text, params);
const criteria = async (setId: number) =>
  await sql<{ code: string; max_score: string; parent_code: string | null }>(
    `select c.code, c.max_score, p.code as parent_code from criterion c left join criterion p on p.id = c.parent_id
      where c.criteria_set_id = ? order by c.position`,
    [setId],
  );

async function newSet(name: string, copyFrom = ''): Promise<number> {
  const res = await admin.submit('/admin/criteria-sets/new', '/admin/criteria-sets', {
    name,
    year: '2025',
    decision: 'QĐ số 1/QĐ-UBND',
    copyFrom,
  });
  expect(res.statusCode).toBe(303);
  return Number(/\/admin\/criteria-sets\/(\d+)/.exec(res.headers.location as string)![1]);
}

async function addCriterion(setId: number, form: Record<string, string>) {
  return admin.submit(paths.admin.newCriterion(setId), paths.admin.criteria(setId), {
    kind: 'self',
    minScore: '0',
    guidance: '',
    scoring: '',
    ...form,
  });
}

describe('a criteria set', () => {
  it('grows as a tree of any depth, each parent the sum of its children', async () => {
    const id = await newSet('Bộ thử nghiệm ba cấp');
    expect((await addCriterion(id, { code: '1', title: 'Công tác chỉ đạo', maxScore: '0' })).statusCode).toBe(303);
    expect((await addCriterion(id, { code: '1.1', title: 'Kế hoạch CCHC', maxScore: '0' })).statusCode).toBe(303);
    expect(
      (
        await addCriterion(id, {
          code: '1.1.1',
          title: 'Ban hành đúng hạn',
          maxScore: '1,5',
          scoring: 'levels: Có=1,5; Không=0',
        })
      ).statusCode,
    ).toBe(303);
    expect((await addCriterion(id, { code: '1.1.2', title: 'Báo cáo đầy đủ', maxScore: '0.5' })).statusCode).toBe(303);
    expect((await addCriterion(id, { code: '1.2', title: 'Kiểm tra', maxScore: '2' })).statusCode).toBe(303);
    const rows = await criteria(id);
    expect(rows.map((r) => [r.code, Number(r.max_score), r.parent_code])).toEqual([
      ['1', 4, null],
      ['1.1', 2, '1'],
      ['1.1.1', 1.5, '1.1'],
      ['1.1.2', 0.5, '1.1'],
      ['1.2', 2, '1'],
    ]);
    const page = await admin.get(paths.admin.criteriaSet(id));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Ban hành đúng hạn');
    expect(page.body).not.toContain('Bộ tiêu chí còn lỗi');
  });

  it('refuses bad criteria with the message beside the field, keeping the input, and writes nothing', async () => {
    const id = await newSet('Bộ lỗi');
    const before = (await criteria(id)).length;
    const cases: [Record<string, string>, string][] = [
      [{ code: '2.1', title: 'Mồ côi', maxScore: '1' }, 'Chưa có tiêu chí cha'],
      [{ code: '1', title: 'Chữ trong điểm', maxScore: 'một' }, 'Điểm tối đa phải là số'],
      [{ code: '1', title: 'Quá nhiều số lẻ', maxScore: '1.2345' }, 'Điểm tối đa phải là số'],
      [{ code: '1', title: 'Điểm trừ sai', maxScore: '1', minScore: '-1' }, 'phải có điểm tối đa là 0'],
      [{ code: 'a.b', title: 'Mã sai', maxScore: '1' }, 'Mã phải có dạng'],
      [{ code: '', title: 'Không mã', maxScore: '1' }, 'Nhập mã tiêu chí.'],
      [{ code: '1', title: '', maxScore: '1' }, 'Nhập nội dung tiêu chí'],
      [{ code: '1', title: 'Mức quá điểm', maxScore: '1', scoring: 'levels: Có=2; Không=0' }, 'phải từ 0 đến 1'],
    ];
    for (const [form, message] of cases) {
      const res = await addCriterion(id, form);
      expect(res.statusCode, JSON.stringify(form)).toBe(422);
      expect(res.body).toContain(message);
      expect(res.body).toContain(`value="${form.code}"`);
    }
    await addCriterion(id, { code: '1', title: 'Có rồi', maxScore: '1' });
    const dup = await addCriterion(id, { code: '1', title: 'Trùng', maxScore: '1' });
    expect(dup.statusCode).toBe(422);
    expect(dup.body).toContain('Mã này đã có trong bộ tiêu chí.');
    expect((await criteria(id)).length).toBe(before + 1);
  });

  it('moves a criterion with its subtree by a new code, and reorders siblings', async () => {
    const id = await newSet('Bộ di chuyển');
    for (const [code, maxScore] of [
      ['1', '0'],
      ['1.1', '0'],
      ['1.1.1', '1'],
      ['1.1.2', '2'],
      ['2', '3'],
    ])
      await addCriterion(id, { code, title: `Tiêu chí ${code}`, maxScore });
    const [{ id: moved }] = await sql<{ id: number }>(
      `select id from criterion where criteria_set_id = ? and code = '1.1'`,
      [id],
    );
    const edit = await admin.submit(paths.admin.criterionEdit(id, moved), paths.admin.criterion(id, moved), {
      code: '2.1',
      title: 'Tiêu chí 1.1',
      kind: 'self',
      guidance: '',
    });
    expect(edit.statusCode).toBe(303);
    expect((await criteria(id)).map((r) => [r.code, Number(r.max_score)])).toEqual([
      ['1', 0],
      ['2', 3],
      ['2.1', 3],
      ['2.1.1', 1],
      ['2.1.2', 2],
    ]);
    const [{ id: second }] = await sql<{ id: number }>(
      `select id from criterion where criteria_set_id = ? and code = '2.1.2'`,
      [id],
    );
    const page = await admin.get(paths.admin.criteriaSet(id));
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
    await admin.request('POST', paths.admin.criterionPosition(id, second), {
      form: { _csrf: token, direction: 'up' },
    });
    const titles = await sql<{ code: string; title: string }>(
      `select code, title from criterion where criteria_set_id = ? and code like '2.1.%' order by position`,
      [id],
    );
    expect(titles).toEqual([
      { code: '2.1.1', title: 'Tiêu chí 1.1.2' },
      { code: '2.1.2', title: 'Tiêu chí 1.1.1' },
    ]);
  });

  it('removes a criterion with its subtree after a confirmation page', async () => {
    const id = await newSet('Bộ xóa');
    for (const [code, maxScore] of [
      ['1', '0'],
      ['1.1', '1'],
      ['1.2', '2'],
    ])
      await addCriterion(id, { code, title: `Tiêu chí ${code}`, maxScore });
    const [{ id: field }] = await sql<{ id: number }>(
      `select id from criterion where criteria_set_id = ? and code = '1'`,
      [id],
    );
    const confirm = await admin.get(paths.admin.criterionRemoval(id, field));
    expect(confirm.body).toContain('Tiêu chí 1.2');
    const res = await admin.submit(
      paths.admin.criterionRemoval(id, field),
      paths.admin.criterionRemoval(id, field),
      {},
    );
    expect(res.statusCode).toBe(303);
    expect(await criteria(id)).toEqual([]);
  });

  it("copies last year's set as a start", async () => {
    const [{ id: demo }] = await sql<{ id: number }>('select id from criteria_set order by id limit 1');
    const id = await newSet('Bộ năm sau', String(demo));
    const [a, b] = [await criteria(demo), await criteria(id)];
    expect(b.length).toBe(a.length);
    expect(b.map((r) => [r.code, r.max_score, r.parent_code])).toEqual(
      a.map((r) => [r.code, r.max_score, r.parent_code]),
    );
  });

  it('cannot change while a campaign that uses it has started, and says why', async () => {
    const [{ id: demo }] = await sql<{ id: number }>('select id from criteria_set order by id limit 1');
    const page = await admin.get(paths.admin.criteriaSet(demo));
    expect(page.body).toContain('nên không thể sửa');
    const before = (await criteria(demo)).length;
    const res = await addCriterion(demo, { code: '9', title: 'Thêm', maxScore: '1' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('không thể sửa');
    expect((await criteria(demo)).length).toBe(before);
  });
});
