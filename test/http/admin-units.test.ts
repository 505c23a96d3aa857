import { describe, expect, it } from 'vitest';
import {
  auditSince,
  countRows,
  expectAdminOnly,
  fieldError,
  lastAuditId,
  positions,
  withAdminApp,
} from '../helpers/admin.ts';
import { Browser } from '../helpers/app.ts';

const ctx = withAdminApp();

const db = () => ctx.t.orm.em.getConnection();
const unitRow = async (code: string) =>
  (
    await db().execute(
      'select u.name, u.kind, u.active, p.code as parent from unit u left join unit p on p.id = u.parent_id where u.code = ?',
      [code],
    )
  )[0];
const createUnit = (form: Record<string, string>) =>
  ctx.admin.submit('/admin/units/new', '/admin/units', { kind: '', parent: '', ...form });

describe('the units list', () => {
  it('shows the district with its communes below it, in Vietnamese order', async () => {
    const res = await ctx.admin.get('/admin/units');
    expect(res.statusCode).toBe(200);
    // Each name links to the unit's page.
    expect(res.body).toMatch(
      /<th scope="row" class="depth-0"><a href="\/admin\/units\/truc-ninh\/edit">UBND huyện Trực Ninh<\/a><\/th>/,
    );
    expect(res.body).toMatch(
      /<th scope="row" class="depth-1"><a href="\/admin\/units\/xa-truc-dao\/edit">Xã Trực Đạo<\/a><\/th>/,
    );
    // The district lists its seat first; the page sorts: Cát Thành before Cổ Lễ, Trực Cường before Trực Đại, Trực Hùng before Trực Hưng.
    const at = positions(res.body, [
      'UBND huyện Trực Ninh',
      'Thị trấn Cát Thành',
      'Thị trấn Cổ Lễ',
      'Xã Trực Cường',
      'Xã Trực Đại',
      'Xã Trực Đạo',
      'Xã Trực Hùng',
      'Xã Trực Hưng',
    ]);
    expect(at).toEqual([...at].sort((a, b) => a - b));
  });

  it('sorts by the Vietnamese alphabet, not by code points or the root collation', async () => {
    expect((await createUnit({ code: 'huyen-thu', name: 'Huyện Thử Nghiệm', kind: 'huyện' })).statusCode).toBe(303);
    // Code-point order puts Đ after E; the root collation reads Ẳ as A and puts "Ẳng Nưa" before "An Thịnh".
    for (const [code, name] of [
      ['xa-ea-tir', 'Xã Ea Tir'],
      ['xa-dong-son', 'Xã Đông Sơn'],
      ['xa-ang-nua', 'Xã Ẳng Nưa'],
      ['xa-dan-chu', 'Xã Dân Chủ'],
      ['xa-an-thinh', 'Xã An Thịnh'],
    ]) {
      expect((await createUnit({ code, name, parent: 'huyen-thu' })).statusCode).toBe(303);
    }
    const res = await ctx.admin.get('/admin/units');
    const at = positions(res.body, [
      'Huyện Thử Nghiệm',
      'Xã An Thịnh',
      'Xã Ẳng Nưa',
      'Xã Dân Chủ',
      'Xã Đông Sơn',
      'Xã Ea Tir',
    ]);
    expect(at).toEqual([...at].sort((a, b) => a - b));
  });

  it('finds units whatever the diacritics and case of the search', async () => {
    await createUnit({ code: 'xa-boc-nhieu', name: 'Xã Bộc Nhiêu', kind: 'xã' });
    const bocNhieu = await ctx.admin.get('/admin/units?q=bo+nhieu');
    expect(bocNhieu.body).toContain('>Xã Bộc Nhiêu<');
    const trucDao = await ctx.admin.get('/admin/units?q=truc%20dao');
    expect(trucDao.body).toContain('>Xã Trực Đạo<');
    expect(trucDao.body).not.toContain('>Xã Trực Thanh<');
    expect((await ctx.admin.get(`/admin/units?q=${encodeURIComponent('TRỰC ĐẠO')}`)).body).toContain('>Xã Trực Đạo<');
    // A search shows each match with the unit it belongs to.
    expect(trucDao.body).toMatch(/>Xã Trực Đạo<\/a><\/th>[\s\S]*?<td data-label="[^"]+">UBND huyện Trực Ninh<\/td>/);
    expect((await ctx.admin.get('/admin/units?q=100%25')).body).toContain('Không có kết quả phù hợp.');
  });
});

describe('creating a unit', () => {
  it('stores it in NFC under its parent, says so, and audits it', async () => {
    const since = await lastAuditId(ctx.t);
    const res = await createUnit({
      code: 'Xa-Phu-Nghia ',
      name: '  Xã Phú Nghĩa'.normalize('NFD'),
      kind: 'xã',
      parent: 'truc-ninh',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/units?done=created&code=xa-phu-nghia');
    expect(await unitRow('xa-phu-nghia')).toEqual({
      name: 'Xã Phú Nghĩa'.normalize('NFC'),
      kind: 'xã',
      active: true,
      parent: 'truc-ninh',
    });
    const list = await ctx.admin.get(res.headers.location as string);
    expect(list.body).toContain('<div class="banner" role="status"><p>Đã thêm Xã Phú Nghĩa.</p></div>');
    const [event] = await auditSince(ctx.t, since);
    expect(event).toMatchObject({
      action: 'unit.created',
      entity_type: 'Unit',
      actor: 'admin',
      after: { code: 'xa-phu-nghia', parent: 'truc-ninh' },
    });
  });

  it('refuses a bad form with the message beside each field, keeps the input and writes nothing', async () => {
    const [units, events] = [await countRows(ctx.t, 'unit'), await lastAuditId(ctx.t)];
    const res = await createUnit({ code: 'Xã Lỗi', name: '   ', kind: 'xã', parent: 'khong-co' });
    expect(res.statusCode).toBe(422);
    expect(fieldError(res.body, 'code')).toBe('Mã chỉ gồm chữ thường không dấu (a–z), chữ số và dấu gạch ngang.');
    expect(fieldError(res.body, 'name')).toBe('Nhập tên.');
    expect(res.body).toContain('<a href="#code">');
    expect(res.body).toContain('<a href="#name">Nhập tên.</a>');
    expect(res.body).toContain('value="Xã Lỗi"');
    expect(res.body).toContain('value="xã"');
    expect(await countRows(ctx.t, 'unit')).toBe(units);
    expect(await lastAuditId(ctx.t)).toBe(events);
  });

  it('refuses a code already used, and an unknown parent', async () => {
    const units = await countRows(ctx.t, 'unit');
    const taken = await createUnit({ code: 'xa-truc-dao', name: 'Xã Trực Đạo mới' });
    expect(taken.statusCode).toBe(422);
    expect(fieldError(taken.body, 'code')).toBe('Mã này đã được dùng. Chọn mã khác.');
    const orphan = await createUnit({ code: 'xa-moi', name: 'Xã Mới', parent: 'khong-co' });
    expect(orphan.statusCode).toBe(422);
    expect(fieldError(orphan.body, 'parent')).toBe('Không tìm thấy đơn vị này. Chọn lại trong danh sách.');
    expect(await countRows(ctx.t, 'unit')).toBe(units);
  });
});

describe('editing a unit', () => {
  it('shows the stored values, saves changes and audits before and after', async () => {
    const form = await ctx.admin.get('/admin/units/xa-truc-thai/edit');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="Xã Trực Thái"');
    expect(form.body).toContain('<option value="truc-ninh" selected>');
    const since = await lastAuditId(ctx.t);
    const res = await ctx.admin.submit('/admin/units/xa-truc-thai/edit', '/admin/units/xa-truc-thai', {
      name: 'Xã Trực Thái (mới)',
      kind: 'xã',
      parent: 'huyen-thu',
    });
    expect(res.statusCode).toBe(303);
    expect(await unitRow('xa-truc-thai')).toMatchObject({ name: 'Xã Trực Thái (mới)', parent: 'huyen-thu' });
    expect((await ctx.admin.get(res.headers.location as string)).body).toContain(
      'Đã lưu thay đổi của Xã Trực Thái (mới).',
    );
    const [event] = await auditSince(ctx.t, since);
    expect(event).toMatchObject({
      action: 'unit.updated',
      before: { name: 'Xã Trực Thái', parent: 'truc-ninh' },
      after: { name: 'Xã Trực Thái (mới)', parent: 'huyen-thu' },
    });
  });

  it('refuses a parent below the unit itself, or the unit itself, beside the field', async () => {
    await createUnit({ code: 'thon-an-thinh', name: 'Thôn An Thịnh', parent: 'xa-an-thinh' });
    const since = await lastAuditId(ctx.t);
    // truc-ninh → xa-truc-dao would close a loop: xa-truc-dao is under truc-ninh.
    const cycle = await ctx.admin.submit('/admin/units/truc-ninh/edit', '/admin/units/truc-ninh', {
      name: 'UBND huyện Trực Ninh',
      kind: 'huyện',
      parent: 'xa-truc-dao',
    });
    expect(cycle.statusCode).toBe(422);
    expect(fieldError(cycle.body, 'parent')).toBe(
      'Không thể chọn một đơn vị cấp dưới của đơn vị này làm đơn vị cấp trên.',
    );
    // A unit two levels down is refused too.
    const deep = await ctx.admin.submit('/admin/units/huyen-thu/edit', '/admin/units/huyen-thu', {
      name: 'Huyện Thử Nghiệm',
      kind: 'huyện',
      parent: 'thon-an-thinh',
    });
    expect(fieldError(deep.body, 'parent')).toBe(
      'Không thể chọn một đơn vị cấp dưới của đơn vị này làm đơn vị cấp trên.',
    );
    const self = await ctx.admin.submit('/admin/units/truc-ninh/edit', '/admin/units/truc-ninh', {
      name: 'UBND huyện Trực Ninh',
      kind: 'huyện',
      parent: 'truc-ninh',
    });
    expect(fieldError(self.body, 'parent')).toBe('Một đơn vị không thể trực thuộc chính nó.');
    expect(await unitRow('truc-ninh')).toMatchObject({ parent: null });
    expect(await lastAuditId(ctx.t)).toBe(since);
    // The form does not even offer the unit itself or what is below it.
    const form = await ctx.admin.get('/admin/units/huyen-thu/edit');
    expect(form.body).not.toContain('<option value="thon-an-thinh"');
    expect(form.body).not.toContain('<option value="huyen-thu"');
    expect(form.body).toContain('<option value="xa-truc-dao"');
  });

  it('answers 404 for a unit that does not exist', async () => {
    expect((await ctx.admin.get('/admin/units/khong-co/edit')).statusCode).toBe(404);
    expect((await ctx.admin.submit('/admin/units/new', '/admin/units/khong-co', { name: 'X' })).statusCode).toBe(404);
  });
});

describe('deactivating a unit', () => {
  it('hides it from the default list, shows it under the inactive filter, and can be undone', async () => {
    const since = await lastAuditId(ctx.t);
    const res = await ctx.admin.submit('/admin/units/xa-truc-tuan/edit', '/admin/units/xa-truc-tuan/active', {
      active: 'false',
    });
    expect(res.statusCode).toBe(303);
    expect((await unitRow('xa-truc-tuan')).active).toBe(false);
    expect((await ctx.admin.get(res.headers.location as string)).body).toContain('Xã Trực Tuấn đã ngừng hoạt động.');
    expect((await ctx.admin.get('/admin/units')).body).not.toContain('>Xã Trực Tuấn<');
    const inactive = await ctx.admin.get('/admin/units?status=inactive');
    expect(inactive.body).toContain('>Xã Trực Tuấn<');
    expect(inactive.body).not.toContain('>Xã Trực Đạo<');
    expect((await ctx.admin.get('/admin/units/xa-truc-tuan/edit')).body).toContain('Cho hoạt động trở lại');
    await ctx.admin.submit('/admin/units/xa-truc-tuan/edit', '/admin/units/xa-truc-tuan/active', { active: 'true' });
    expect((await unitRow('xa-truc-tuan')).active).toBe(true);
    expect((await auditSince(ctx.t, since)).map((e) => e.action)).toEqual(['unit.deactivated', 'unit.reactivated']);
  });
});

describe('agencies', () => {
  const createAgency = (form: Record<string, string>) =>
    ctx.admin.submit('/admin/agencies/new', '/admin/agencies', form);
  const agencyRow = async (code: string) =>
    (await db().execute('select name, active from agency where code = ?', [code]))[0];

  it('are listed in Vietnamese order and found without diacritics', async () => {
    const res = await ctx.admin.get('/admin/agencies');
    expect(res.statusCode).toBe(200);
    const at = positions(res.body, [
      'Phòng Kinh tế và Hạ tầng',
      'Phòng Nội vụ',
      'Phòng Tài chính – Kế hoạch',
      'Phòng Tư pháp',
      'Phòng Văn hóa và Thông tin',
      'Văn phòng HĐND-UBND',
    ]);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    const found = await ctx.admin.get('/admin/agencies?q=tu+phap');
    expect(found.body).toContain('>Phòng Tư pháp<');
    expect(found.body).not.toContain('>Phòng Nội vụ<');
  });

  it('are created, edited, deactivated and reactivated, each audited', async () => {
    const since = await lastAuditId(ctx.t);
    const created = await createAgency({ code: 'thanh-tra', name: 'Thanh tra huyện'.normalize('NFD') });
    expect(created.statusCode).toBe(303);
    expect(await agencyRow('thanh-tra')).toEqual({ name: 'Thanh tra huyện', active: true });
    expect((await ctx.admin.get(created.headers.location as string)).body).toContain('Đã thêm Thanh tra huyện.');
    const edited = await ctx.admin.submit('/admin/agencies/thanh-tra/edit', '/admin/agencies/thanh-tra', {
      name: 'Thanh tra huyện Trực Ninh',
    });
    expect(edited.statusCode).toBe(303);
    await ctx.admin.submit('/admin/agencies/thanh-tra/edit', '/admin/agencies/thanh-tra/active', { active: 'false' });
    expect(await agencyRow('thanh-tra')).toEqual({ name: 'Thanh tra huyện Trực Ninh', active: false });
    expect((await ctx.admin.get('/admin/agencies?status=inactive')).body).toContain('>Thanh tra huyện Trực Ninh<');
    await ctx.admin.submit('/admin/agencies/thanh-tra/edit', '/admin/agencies/thanh-tra/active', { active: 'true' });
    expect((await auditSince(ctx.t, since)).map((e) => [e.action, e.entity_type])).toEqual([
      ['agency.created', 'Agency'],
      ['agency.updated', 'Agency'],
      ['agency.deactivated', 'Agency'],
      ['agency.reactivated', 'Agency'],
    ]);
  });

  it('refuse a duplicate code and an empty name, writing nothing', async () => {
    const [agencies, events] = [await countRows(ctx.t, 'agency'), await lastAuditId(ctx.t)];
    const taken = await createAgency({ code: 'tu-phap', name: 'Phòng Tư pháp 2' });
    expect(taken.statusCode).toBe(422);
    expect(fieldError(taken.body, 'code')).toBe('Mã này đã được dùng. Chọn mã khác.');
    expect(taken.body).toContain('value="Phòng Tư pháp 2"');
    const empty = await createAgency({ code: 'phong-moi', name: '' });
    expect(empty.statusCode).toBe(422);
    expect(fieldError(empty.body, 'name')).toBe('Nhập tên.');
    expect(empty.body).toContain('value="phong-moi"');
    const edit = await ctx.admin.submit('/admin/agencies/tu-phap/edit', '/admin/agencies/tu-phap', { name: ' ' });
    expect(edit.statusCode).toBe(422);
    expect(fieldError(edit.body, 'name')).toBe('Nhập tên.');
    expect(await countRows(ctx.t, 'agency')).toBe(agencies);
    expect(await agencyRow('tu-phap')).toEqual({ name: 'Phòng Tư pháp', active: true });
    expect(await lastAuditId(ctx.t)).toBe(events);
  });
});

describe('in English', () => {
  it('the same pages speak English', async () => {
    const b = await Browser.signedIn(ctx.t.app, 'admin');
    await b.get('/lang/en?next=/admin/units');
    const res = await b.submit('/admin/units/new', '/admin/units', { code: '', name: '', kind: '', parent: '' });
    expect(fieldError(res.body, 'name')).toBe('Enter a name.');
    expect((await b.get('/admin/agencies')).body).toContain('<h1>Appraising agencies</h1>');
  });
});

describe('people without the secretariat role', () => {
  it('get 404 on every page and post of units and agencies', async () => {
    await expectAdminOnly(
      ctx.t,
      [
        '/admin/units',
        '/admin/units/new',
        '/admin/units/xa-truc-dao/edit',
        '/admin/agencies',
        '/admin/agencies/new',
        '/admin/agencies/tu-phap/edit',
      ],
      [
        '/admin/units',
        '/admin/units/xa-truc-dao',
        '/admin/units/xa-truc-dao/active',
        '/admin/agencies',
        '/admin/agencies/tu-phap',
        '/admin/agencies/tu-phap/active',
      ],
    );
    expect(await unitRow('xa-truc-dao')).toMatchObject({ name: 'Xã Trực Đạo', active: true });
  });

  it('are sent to sign in when anonymous', async () => {
    const res = await new Browser(ctx.t.app).get('/admin/units');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/sign-in?next=%2Fadmin%2Funits');
  });
});
