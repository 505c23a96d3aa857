// Units that change (two-tier local government): types from a list, official codes, the dates a unit exists, and the
// units it continues; a unit that ended keeps its history but joins no new campaign.
import { describe, expect, it } from 'vitest';
import { currentResults } from '../../src/features/results.ts';
import { csrfToken } from '../helpers/app.ts';
import { fieldError, withAdminApp } from '../helpers/admin.ts';

const ctx = withAdminApp();
const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  ctx.t.orm.em.getConnection().execute<T[]>(text, params);

const blank = { kind: '', parent: '', officialCode: '', existsFrom: '', existsUntil: '', predecessors: '' };
const createUnit = (form: Record<string, string>) =>
  ctx.admin.submit('/admin/units/new', '/admin/units', { ...blank, ...form });
/** Saves the unit's edit form with its stored name, type and parent, and the fields given. */
async function editUnit(code: string, form: Record<string, string>) {
  const [unit] = await sql<{ name: string; kind: string; parent: string | null }>(
    'select u.name, u.kind, p.code as parent from unit u left join unit p on p.id = u.parent_id where u.code = ?',
    [code],
  );
  return ctx.admin.submit(`/admin/units/${code}/edit`, `/admin/units/${code}`, {
    ...blank,
    name: unit!.name,
    kind: unit!.kind,
    parent: unit!.parent ?? '',
    ...form,
  });
}

describe('a unit formed by a merger', () => {
  it('is stored with its type, official code, dates and predecessors, and shown again on its form', async () => {
    const res = await createUnit({
      code: 'xa-truc-moi',
      name: 'Xã Trực Mới',
      kind: 'xã',
      officialCode: '13669',
      existsFrom: '01/07/2025',
      predecessors: 'xa-truc-dao; xa-truc-thanh',
    });
    expect(res.statusCode).toBe(303);
    const [row] = await sql(
      `select u.official_code, to_char(u.exists_from, 'YYYY-MM-DD') as exists_from, u.exists_until,
              array(select p.code from unit_predecessor up join unit p on p.id = up.predecessor_id
                     where up.unit_id = u.id order by p.code) as predecessors
         from unit u where u.code = 'xa-truc-moi'`,
    );
    expect(row).toEqual({
      official_code: '13669',
      exists_from: '2025-07-01',
      exists_until: null,
      predecessors: ['xa-truc-dao', 'xa-truc-thanh'],
    });
    const form = (await ctx.admin.get('/admin/units/xa-truc-moi/edit')).body;
    expect(form).toContain('value="13669"');
    expect(form).toContain('value="01/07/2025"');
    expect(form).toContain('value="xa-truc-dao; xa-truc-thanh"');
  });

  it('a new type typed by the secretariat joins the list of types offered', async () => {
    expect((await createUnit({ code: 'ban-thu', name: 'Ban Thử', kind: 'ban quản lý' })).statusCode).toBe(303);
    const form = (await ctx.admin.get('/admin/units/new')).body;
    expect(form).toContain('<option value="ban quản lý">');
    expect(form).toContain('<option value="đặc khu">');
  });

  it('refuses every wrong field at once, beside each, and writes nothing', async () => {
    const [{ n: before }] = await sql<{ n: number }>('select count(*)::int as n from unit');
    const res = await createUnit({
      code: 'xa-sai',
      name: 'Xã Sai',
      officialCode: '13A69',
      existsFrom: '31/02/2026',
      predecessors: 'xa-khong-co',
    });
    expect(res.statusCode).toBe(422);
    expect(fieldError(res.body, 'officialCode')).toBe('Mã đơn vị hành chính chỉ gồm chữ số, tối đa 16 chữ số.');
    expect(fieldError(res.body, 'existsFrom')).toBe('Nhập ngày có thật theo dạng ngày/tháng/năm, ví dụ 01/07/2025.');
    const order = await createUnit({
      code: 'xa-sai',
      name: 'Xã Sai',
      existsFrom: '02/07/2025',
      existsUntil: '01/07/2025',
    });
    expect(fieldError(order.body, 'existsUntil')).toBe('Ngày thôi tồn tại phải sau ngày bắt đầu tồn tại.');
    const unknown = await createUnit({ code: 'xa-sai', name: 'Xã Sai', predecessors: 'xa-khong-co' });
    expect(fieldError(unknown.body, 'predecessors')).toBe('Không có đơn vị mã xa-khong-co trên hệ thống.');
    const [{ n: after }] = await sql<{ n: number }>('select count(*)::int as n from unit');
    expect(after).toBe(before);
  });

  it('never continues itself, however far back', async () => {
    const self = await editUnit('xa-truc-moi', { predecessors: 'xa-truc-moi' });
    expect(fieldError(self.body, 'predecessors')).toBe('Đơn vị không thể hình thành từ chính nó.');
    // xa-truc-moi continues xa-truc-dao: xa-truc-dao may not now continue xa-truc-moi.
    const cycle = await editUnit('xa-truc-dao', { predecessors: 'xa-truc-moi' });
    expect(cycle.statusCode).toBe(422);
    expect(fieldError(cycle.body, 'predecessors')).toMatch(/thành vòng/);
  });

  it('is found by its official code, and by its name without diacritics', async () => {
    const byCode = (await ctx.admin.get('/admin/units?q=13669')).body;
    expect(byCode).toContain('Xã Trực Mới');
    expect(byCode).not.toContain('Xã Trực Đạo<');
    expect((await ctx.admin.get('/admin/units?q=truc%20moi')).body).toContain('Xã Trực Mới');
  });
});

describe('a unit that ended', () => {
  it('is not offered to a new campaign, and is refused if sent anyway', async () => {
    expect((await editUnit('xa-truc-dao', { existsUntil: '30/06/2025' })).statusCode).toBe(303);
    const [{ id: setId }] = await sql<{ id: number }>('select id from criteria_set order by id limit 1');
    const created = await ctx.admin.submit('/admin/campaigns/new', '/admin/campaigns', {
      code: 'moi-2026',
      name: 'Chỉ số CCHC 2026',
      year: '2026',
      organizer: 'UBND tỉnh Thử',
      criteriaSetId: String(setId),
      compositionPreset: 'appraisal:70,survey:30',
      bands: 'Xuất sắc:95;Tốt:85;Khá:75;Trung bình:70;Yếu:0',
      precision: '2',
      rounding: 'half-up',
    });
    expect(created.statusCode).toBe(303);
    const page = (await ctx.admin.get('/admin/campaigns/moi-2026/units')).body;
    expect(page).toContain('Xã Trực Mới');
    expect(page).not.toContain('Xã Trực Đạo');

    const [ended] = await sql<{ id: number }>("select id from unit where code = 'xa-truc-dao'");
    const res = await ctx.t.app.inject({
      method: 'POST',
      url: '/admin/campaigns/moi-2026/units',
      headers: { cookie: ctx.admin.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrfToken(page), units: String(ended!.id) }).toString(),
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Xã Trực Đạo đã thôi tồn tại từ ngày 30/06/2025');
    const [{ n }] = await sql<{ n: number }>(
      "select count(*)::int as n from campaign_unit where campaign_id = (select id from campaign where code = 'moi-2026')",
    );
    expect(n).toBe(0);
  });
});

describe("a campaign's blocks", () => {
  const post = async (form: Record<string, string>) => {
    const page = (await ctx.admin.get('/admin/campaigns/moi-2026/units')).body;
    return ctx.t.app.inject({
      method: 'POST',
      url: '/admin/campaigns/moi-2026/blocks',
      headers: { cookie: ctx.admin.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrfToken(page), ...form }).toString(),
    });
  };

  it('are set per unit, all or none, and the ranking follows them', async () => {
    const units = await sql<{ id: number; code: string }>(
      "select id, code from unit where code in ('xa-truc-moi', 'xa-truc-thanh', 'thi-tran-co-le') order by code",
    );
    const page = (await ctx.admin.get('/admin/campaigns/moi-2026/units')).body;
    const joined = await ctx.t.app.inject({
      method: 'POST',
      url: '/admin/campaigns/moi-2026/units',
      headers: { cookie: ctx.admin.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(csrfToken(page))}&${units.map((u) => `units=${u.id}`).join('&')}`,
    });
    expect(joined.statusCode).toBe(303);
    const id = (code: string) => String(units.find((u) => u.code === code)!.id);

    const partial = await post({ [`block-${id('xa-truc-moi')}`]: 'Xã, đặc khu', [`block-${id('xa-truc-thanh')}`]: '' });
    expect(partial.statusCode).toBe(422);
    expect(partial.body).toContain('còn 2 đơn vị chưa có khối');
    // What was typed stays in its box.
    expect(partial.body).toContain(`name="block-${id('xa-truc-moi')}" value="Xã, đặc khu"`);

    const res = await post({
      [`block-${id('xa-truc-moi')}`]: 'Xã, đặc khu',
      [`block-${id('xa-truc-thanh')}`]: ' Xã,  đặc khu ',
      [`block-${id('thi-tran-co-le')}`]: 'Thị trấn',
    });
    expect(res.statusCode).toBe(303);
    const stored = await sql(
      `select u.code, cu.block from campaign_unit cu join unit u on u.id = cu.unit_id
        where cu.campaign_id = (select id from campaign where code = 'moi-2026') order by u.code`,
    );
    expect(stored).toEqual([
      { code: 'thi-tran-co-le', block: 'Thị trấn' },
      { code: 'xa-truc-moi', block: 'Xã, đặc khu' },
      { code: 'xa-truc-thanh', block: 'Xã, đặc khu' },
    ]);
    const [event] = await sql<{ action: string }>('select action from audit_event order by id desc limit 1');
    expect(event!.action).toBe('campaign.blocks-changed');
    const [campaign] = await sql<{ id: number }>("select id from campaign where code = 'moi-2026'");
    const { results } = await currentResults(ctx.t.orm.em.fork(), campaign!.id);
    // Nothing scored yet: every unit ties at 0, ranked 1 within its own block; the blocks in the order of the
    // campaign's units (thi-tran-co-le joined first).
    expect(results.map((r) => [r.block, r.code, r.rank])).toEqual([
      ['Thị trấn', 'thi-tran-co-le', 1],
      ['Xã, đặc khu', 'xa-truc-moi', 1],
      ['Xã, đặc khu', 'xa-truc-thanh', 1],
    ]);
  });
});
