import { describe, expect, it } from 'vitest';
import { demoPassword } from '../../src/features/demo/seed.ts';
import { formatDate, todayInVietnam } from '../../src/domain/dates.ts';
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
import { paths } from '../../src/http/paths.ts';

const ctx = withAdminApp();

const db = () => ctx.t.orm.em.getConnection();
const userRow = async (username: string) =>
  (await db().execute('select id, full_name, active, password_hash from app_user where username = ?', [username]))[0];
const sessionsOf = async (username: string) =>
  (
    await db().execute(
      'select count(*)::int as n from user_session s join app_user u on u.id = s.user_id where u.username = ?',
      [username],
    )
  )[0].n;
const createUser = (form: Record<string, string>) =>
  ctx.admin.submit('/admin/users/new', '/admin/users', { password: '', ...form });
const post = (username: string, path: string, form: Record<string, string> = {}) =>
  ctx.admin.submit(paths.admin.user(username), `/admin/users/${username}${path}`, form);
const assign = (username: string, role: string, unit = '', agency = '') =>
  post(username, '/roles', { role, unit, agency });
const shownPassword = (html: string) => /<code id="new-password">([^<]+)<\/code>/.exec(html)?.[1];

/** Follows the redirect after a change and returns the password the page shows, once. */
async function takePassword(location: string): Promise<string> {
  const page = await ctx.admin.get(location);
  expect(page.statusCode).toBe(200);
  expect(page.headers['cache-control']).toBe('private, no-store');
  const password = shownPassword(page.body);
  expect(password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
  const again = await ctx.admin.get(location);
  expect(shownPassword(again.body)).toBeUndefined();
  expect(again.body).not.toContain(password);
  return password!;
}

/** No audit event, nor any column of the user's row except the hash, may hold the password or its hash. */
async function expectNowhereInClear(username: string, password: string) {
  const user = await userRow(username);
  expect(user.password_hash).toMatch(/^\$argon2id\$/);
  expect(user.password_hash).not.toContain(password);
  const [leaks] = await db().execute(
    `select count(*)::int as n from audit_event where coalesce(before::text, '') || coalesce(after::text, '') || coalesce(reason, '') like ? or coalesce(before::text, '') || coalesce(after::text, '') like ?`,
    [`%${password}%`, `%${user.password_hash}%`],
  );
  expect(leaks.n).toBe(0);
}

describe('the users list', () => {
  it('shows each person with their roles, sorted by full name in Vietnamese order', async () => {
    for (const [username, fullName] of [
      ['giang.minh', 'Giang Văn Minh'],
      ['dang.binh', 'Đặng Văn Bình'],
      ['duong.hoa', 'Dương Thị Hoa'],
    ]) {
      expect((await createUser({ username, fullName })).statusCode).toBe(303);
    }
    const res = await ctx.admin.get('/admin/users');
    expect(res.statusCode).toBe(200);
    // Code-point order would put Đ after G.
    const at = positions(res.body, [
      'Bùi Quang Đức',
      'Dương Thị Hoa',
      'Đặng Văn Bình',
      'Đỗ Thị Minh Ngọc',
      'Giang Văn Minh',
      'Hoàng Văn Tuấn',
    ]);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(res.body).toMatch(/>Đỗ Thị Minh Ngọc<\/a><\/th>[\s\S]*?<li>Cán bộ CCHC — Xã Trực Thanh<\/li>/);
    expect(res.body).toMatch(/>Nguyễn Thị Lan Anh<\/a><\/th>[\s\S]*?<li>Thành viên thẩm định — Phòng Nội vụ<\/li>/);
  });

  it('finds people whatever the diacritics of the search', async () => {
    const ngoc = await ctx.admin.get('/admin/users?q=do+ngoc');
    expect(ngoc.body).toContain('>Đỗ Thị Minh Ngọc<');
    expect(ngoc.body).not.toContain('>Bùi Quang Đức<');
    const duc = await ctx.admin.get('/admin/users?q=DUC');
    expect(duc.body).toContain('>Bùi Quang Đức<');
    expect(duc.body).toContain('>Vũ Đức Thắng<');
    expect((await ctx.admin.get(`/admin/users?q=${encodeURIComponent('Thắng')}`)).body).toContain('>Vũ Đức Thắng<');
  });
});

describe('creating a user', () => {
  it('with a generated password shows it once, stores only its hash, and it signs in', async () => {
    const since = await lastAuditId(ctx.t);
    const res = await createUser({ username: 'Nguyen.Van.An', fullName: 'Nguyễn Văn An'.normalize('NFD') });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/users/nguyen.van.an?done=created');
    const password = await takePassword(res.headers.location as string);
    expect((await userRow('nguyen.van.an')).full_name).toBe('Nguyễn Văn An'.normalize('NFC'));
    await expectNowhereInClear('nguyen.van.an', password);
    const [event] = await auditSince(ctx.t, since);
    expect(event).toMatchObject({
      action: 'user.created',
      actor: 'admin',
      after: { username: 'nguyen.van.an', fullName: 'Nguyễn Văn An', passwordGenerated: true },
    });
    const b = new Browser(ctx.t.app);
    expect((await b.signIn('nguyen.van.an', password)).headers.location).toBe('/home');
  });

  it('with a typed password shows none and signs in with it', async () => {
    const res = await createUser({ username: 'tran.binh', fullName: 'Trần Văn Bình', password: 'mat-khau-dai-du' });
    expect(res.statusCode).toBe(303);
    const page = await ctx.admin.get(res.headers.location as string);
    expect(page.body).toContain('Đã tạo tài khoản cho Trần Văn Bình.');
    expect(page.body).toContain(`<dd>${formatDate(todayInVietnam())}</dd>`);
    expect(shownPassword(page.body)).toBeUndefined();
    await expectNowhereInClear('tran.binh', 'mat-khau-dai-du');
    await new Browser(ctx.t.app).signIn('tran.binh', 'mat-khau-dai-du');
  });

  it('refuses bad fields beside each field, keeps the input but not the password, and writes nothing', async () => {
    const [users, events] = [await countRows(ctx.t, 'app_user'), await lastAuditId(ctx.t)];
    const res = await createUser({ username: 'Nguyễn An', fullName: '', password: 'ngan-qua' });
    expect(res.statusCode).toBe(422);
    expect(fieldError(res.body, 'username')).toBe(
      'Tên đăng nhập chỉ gồm chữ thường không dấu (a–z), chữ số, dấu chấm, gạch ngang hoặc gạch dưới.',
    );
    expect(fieldError(res.body, 'fullName')).toBe('Nhập họ và tên.');
    expect(fieldError(res.body, 'password')).toBe('Mật khẩu phải có ít nhất 10 ký tự.');
    expect(res.body).toContain('<a href="#fullName">Nhập họ và tên.</a>');
    expect(res.body).toContain('value="Nguyễn An"');
    expect(res.body).not.toContain('ngan-qua');
    const taken = await createUser({ username: 'canbo', fullName: 'Cán bộ khác' });
    expect(taken.statusCode).toBe(422);
    expect(fieldError(taken.body, 'username')).toBe('Tên đăng nhập này đã có người dùng. Chọn tên khác.');
    expect(taken.body).toContain('value="Cán bộ khác"');
    expect(fieldError((await createUser({ username: '..', fullName: 'Chấm' })).body, 'username')).toBeDefined();
    expect(await countRows(ctx.t, 'app_user')).toBe(users);
    expect(await lastAuditId(ctx.t)).toBe(events);
  });
});

describe('resetting a password', () => {
  it('shows a new one once, ends the old password and the open sessions', async () => {
    const user = await Browser.signedIn(ctx.t.app, 'canbo2');
    const since = await lastAuditId(ctx.t);
    const res = await post('canbo2', '/password');
    expect(res.statusCode).toBe(303);
    const password = await takePassword(res.headers.location as string);
    expect((await user.get('/unit')).statusCode).toBe(303);
    const old = await new Browser(ctx.t.app).submit('/sign-in', '/sign-in', {
      username: 'canbo2',
      password: demoPassword,
    });
    expect(old.statusCode).toBe(422);
    await new Browser(ctx.t.app).signIn('canbo2', password);
    await expectNowhereInClear('canbo2', password);
    expect((await auditSince(ctx.t, since)).map((e) => [e.action, e.actor])).toEqual([
      ['user.password-reset', 'admin'],
      ['user.signed-in', 'canbo2'],
    ]);
  });

  it('shows the password only to the session that reset it', async () => {
    const other = await Browser.signedIn(ctx.t.app, 'admin');
    const res = await post('tran.binh', '/password');
    // The sealed cookie moved to another admin's browser is worth nothing there.
    other.cookies.set('cchc_once', ctx.admin.cookies.get('cchc_once')!);
    expect(shownPassword((await other.get(res.headers.location as string)).body)).toBeUndefined();
    expect(shownPassword((await ctx.admin.get(res.headers.location as string)).body)).toBeDefined();
  });
});

describe('a second secretary', () => {
  it('gets the admin pages from the role, and resetting their own password keeps them signed in', async () => {
    await createUser({ username: 'thuky2', fullName: 'Phan Thị Thư', password: 'mat-khau-thu-ky-2' });
    expect((await assign('thuky2', 'admin')).statusCode).toBe(303);
    const second = new Browser(ctx.t.app);
    await second.signIn('thuky2', 'mat-khau-thu-ky-2');
    // The typed password was temporary: the new secretary chooses their own first.
    expect((await second.get('/admin')).headers.location).toBe('/account/password');
    const own = 'Phan Thi Thu chon mat khau';
    expect(
      (
        await second.submit('/account/password', '/account/password', {
          current: 'mat-khau-thu-ky-2',
          password: own,
          repeat: own,
        })
      ).statusCode,
    ).toBe(303);
    const other = new Browser(ctx.t.app);
    await other.signIn('thuky2', own);
    const res = await second.submit('/admin/users/thuky2', '/admin/users/thuky2/password', {});
    expect(res.statusCode).toBe(303);
    const page = await second.get(res.headers.location as string);
    const password = shownPassword(page.body);
    expect(password).toBeDefined();
    expect((await other.get('/admin')).statusCode).toBe(303);
    await new Browser(ctx.t.app).signIn('thuky2', password);
  });
});

describe('deactivating a user', () => {
  it('signs them out at once, deletes their sessions, and can be undone', async () => {
    const user = await Browser.signedIn(ctx.t.app, 'congtac');
    expect((await user.get('/unit')).statusCode).toBe(200);
    const since = await lastAuditId(ctx.t);
    const res = await post('congtac', '/active', { active: 'false' });
    expect(res.statusCode).toBe(303);
    expect((await ctx.admin.get(res.headers.location as string)).body).toContain(
      'Tài khoản của Lê Thị Ơn đã ngừng hoạt động và đã bị đăng xuất.',
    );
    expect(await sessionsOf('congtac')).toBe(0);
    const out = await user.get('/unit');
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/sign-in?next=%2Funit');
    expect(
      (await new Browser(ctx.t.app).submit('/sign-in', '/sign-in', { username: 'congtac', password: demoPassword }))
        .statusCode,
    ).toBe(422);
    expect((await ctx.admin.get('/admin/users?status=inactive')).body).toContain('>Lê Thị Ơn<');
    expect((await ctx.admin.get('/admin/users')).body).not.toContain('>Lê Thị Ơn<');
    await post('congtac', '/active', { active: 'true' });
    await new Browser(ctx.t.app).signIn('congtac');
    expect((await auditSince(ctx.t, since)).map((e) => e.action)).toEqual([
      'user.deactivated',
      'user.reactivated',
      'user.signed-in',
    ]);
  });

  it("is refused for one's own account", async () => {
    const since = await lastAuditId(ctx.t);
    const own = await ctx.admin.get('/admin/users/admin');
    expect(own.body).toContain('Bạn không thể tự ngừng hoạt động tài khoản của mình.');
    expect(own.body).not.toContain('>Ngừng hoạt động</button>');
    const res = await post('admin', '/active', { active: 'false' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('<a href="#active">Bạn không thể tự ngừng hoạt động tài khoản của mình.</a>');
    expect((await userRow('admin')).active).toBe(true);
    expect((await ctx.admin.get('/admin')).statusCode).toBe(200);
    expect(await lastAuditId(ctx.t)).toBe(since);
  });
});

describe('roles', () => {
  it('give the person the area at once, and removing them takes it away', async () => {
    await createUser({ username: 'officer.test', fullName: 'Cán Bộ Thử', password: 'mat-khau-thu-nghiem' });
    const user = new Browser(ctx.t.app);
    await user.signIn('officer.test', 'mat-khau-thu-nghiem');
    const own = 'can bo thu tu dat mat khau';
    expect(
      (
        await user.submit('/account/password', '/account/password', {
          current: 'mat-khau-thu-nghiem',
          password: own,
          repeat: own,
        })
      ).statusCode,
    ).toBe(303);
    expect((await user.get('/unit')).statusCode).toBe(404);
    const since = await lastAuditId(ctx.t);
    const res = await assign('officer.test', 'officer', 'xa-truc-dao');
    expect(res.statusCode).toBe(303);
    const page = await ctx.admin.get(res.headers.location as string);
    expect(page.body).toContain('Đã gán vai trò cho Cán Bộ Thử.');
    expect(page.body).toMatch(/<th scope="row">Cán bộ CCHC<\/th>\s*<td data-label="[^"]+">Xã Trực Đạo<\/td>/);
    expect((await user.get('/unit')).statusCode).toBe(200);
    expect((await user.get('/unit')).body).toContain('Xã Trực Đạo');

    await assign('officer.test', 'appraiser', '', 'tu-phap');
    expect((await user.get('/appraisal')).statusCode).toBe(200);
    await assign('officer.test', 'chair');
    expect((await user.get('/council')).statusCode).toBe(200);

    const grantId = /action="\/admin\/users\/officer\.test\/roles\/(\d+)\/removal"/.exec(page.body)![1];
    const removed = await post('officer.test', `/roles/${grantId}/removal`);
    expect(removed.statusCode).toBe(303);
    expect((await user.get('/unit')).statusCode).toBe(404);
    const events = await auditSince(ctx.t, since);
    expect(events.map((e) => e.action)).toEqual([
      'user.role-assigned',
      'user.role-assigned',
      'user.role-assigned',
      'user.role-removed',
    ]);
    expect(events[0]).toMatchObject({
      entity_type: 'User',
      after: { role: 'officer', unit: 'xa-truc-dao', agency: null },
    });
    expect(events[3]).toMatchObject({ before: { role: 'officer', unit: 'xa-truc-dao' } });
  });

  it('must be paired right: a unit role with an active unit, an appraiser with an agency, the others with neither', async () => {
    const [grants, events] = [await countRows(ctx.t, 'role_assignment'), await lastAuditId(ctx.t)];
    const cases: [string, string, string, string, string][] = [
      ['officer', '', '', 'unit', 'Chọn đơn vị cho vai trò này.'],
      ['head', 'khong-co', '', 'unit', 'Không tìm thấy đơn vị này. Chọn lại trong danh sách.'],
      ['appraiser', '', '', 'agency', 'Chọn cơ quan thẩm định cho vai trò này.'],
      ['chair', 'xa-truc-dao', '', 'unit', 'Vai trò này không gắn với đơn vị. Chọn “— Không —”.'],
      ['officer', 'xa-truc-dao', 'noi-vu', 'agency', 'Vai trò này không gắn với cơ quan thẩm định. Chọn “— Không —”.'],
      ['', '', '', 'role', 'Chọn vai trò.'],
      ['officer', 'xa-truc-thanh', '', 'role', 'Người này đã có vai trò này.'],
    ];
    for (const [role, unit, agency, field, message] of cases) {
      const res = await assign('canbo', role, unit, agency);
      expect(res.statusCode, `${role} ${unit} ${agency}`).toBe(422);
      expect(fieldError(res.body, field)).toBe(message);
      expect(res.body).toContain(`<a href="#${field}">`);
    }
    // The input is kept.
    const kept = await assign('canbo', 'head', 'khong-co');
    expect(kept.body).toContain('<option value="head" selected>');

    await ctx.admin.submit('/admin/units/xa-truc-noi/edit', '/admin/units/xa-truc-noi/active', { active: 'false' });
    const inactive = await assign('canbo', 'contributor', 'xa-truc-noi');
    expect(fieldError(inactive.body, 'unit')).toBe('Đơn vị này đã ngừng hoạt động. Chọn đơn vị đang hoạt động.');
    expect(inactive.body).not.toContain('<option value="xa-truc-noi"');
    expect(await countRows(ctx.t, 'role_assignment')).toBe(grants);
    expect((await auditSince(ctx.t, events)).map((e) => e.action)).toEqual(['unit.deactivated']);
  });

  it('cannot take the secretariat role from oneself', async () => {
    const page = await ctx.admin.get('/admin/users/admin');
    const grantId = /action="\/admin\/users\/admin\/roles\/(\d+)\/removal"/.exec(page.body)![1];
    const res = await post('admin', `/roles/${grantId}/removal`);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('<a href="#roles">Bạn không thể tự gỡ vai trò Thư ký của mình.</a>');
    expect((await ctx.admin.get('/admin')).statusCode).toBe(200);
  });

  it('answer 404 for a role of someone else or a user that does not exist', async () => {
    const page = await ctx.admin.get('/admin/users/canbo');
    const grantId = /action="\/admin\/users\/canbo\/roles\/(\d+)\/removal"/.exec(page.body)![1];
    expect((await post('canbo2', `/roles/${grantId}/removal`)).statusCode).toBe(404);
    expect((await post('canbo', '/roles/abc/removal')).statusCode).toBe(404);
    expect((await ctx.admin.get('/admin/users/khong-co')).statusCode).toBe(404);
    expect((await ctx.admin.submit('/admin/users', '/admin/users/khong-co/password', {})).statusCode).toBe(404);
  });
});

describe('people without the secretariat role', () => {
  it('get 404 on every page and post of users', async () => {
    await expectAdminOnly(
      ctx.t,
      ['/admin/users', '/admin/users/new', '/admin/users/canbo', '/admin/users/admin'],
      [
        '/admin/users',
        '/admin/users/canbo/password',
        '/admin/users/admin/active',
        '/admin/users/canbo/roles',
        '/admin/users/canbo/roles/1/removal',
      ],
    );
    expect((await userRow('admin')).active).toBe(true);
  });
});
