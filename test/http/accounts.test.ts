import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { demoPassword } from '../../src/features/demo/seed.ts';
import { createFirstAdmin, issueSetupToken } from '../../src/features/auth/accounts.ts';
import { passwordProblem } from '../../src/features/auth/passwords.ts';
import { generatePassword } from '../../src/features/users.ts';
import { Browser, startTestApp, type TestApp } from '../helpers/app.ts';

const fieldError = (html: string, field: string) => new RegExp(`id="${field}-error">([^<]*)<`).exec(html)?.[1];
/** The fields the error summary links to, in its order. */
const summaryLinks = (html: string) => {
  const summary = /class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="#([^"]+)">/g)].map((m) => m[1]);
};

describe('the password policy', () => {
  it.each([
    ['aaaaaaaaaa', 'password.common'],
    ['ngan-qua', 'password.tooShort'],
    ['password123', 'password.common'],
    ['1234567890', 'password.common'],
    ['qwertyuiop', 'password.common'],
    ['iloveyou12', 'password.common'],
    [demoPassword, 'password.demo'],
    ['DEMO-CCHC-2024', 'password.demo'],
    ['thamdinh-tuphap', 'password.username'],
    ['ThamDinh-TuPhap', 'password.username'],
  ])('refuses %s (%s)', (password, problem) => {
    expect(passwordProblem(password, 'thamdinh-tuphap')).toBe(problem);
  });

  it('accepts a long unusual password, a sentence, and every generated password', () => {
    expect(passwordProblem('Trực Ninh mùa lúa chín', 'canbo')).toBeNull();
    expect(passwordProblem('mat-khau-dai-du', 'tran.binh')).toBeNull();
    for (let i = 0; i < 20; i++) expect(passwordProblem(generatePassword(), 'nguyen.van.an')).toBeNull();
  });
});

describe('the configuration', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cchc-config-'));
  it('listens on the loopback address outside production, on every interface in production, unless HOST says', () => {
    expect(loadConfig({ DATA_DIR: dataDir }).HOST).toBe('127.0.0.1');
    expect(loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'test' }).HOST).toBe('127.0.0.1');
    expect(loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'production' }).HOST).toBe('0.0.0.0');
    expect(loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'production', HOST: '127.0.0.1' }).HOST).toBe('127.0.0.1');
    expect(loadConfig({ DATA_DIR: dataDir, HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
  });

  it('believes no proxy unless TRUST_PROXY names one, by address or range', () => {
    expect(loadConfig({ DATA_DIR: dataDir }).trustProxy).toBe(false);
    expect(loadConfig({ DATA_DIR: dataDir, TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ DATA_DIR: dataDir, TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1,loopback' }).trustProxy).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'loopback',
    ]);
    for (const bad of ['true', '2', 'proxy.example', '10.0.0.0/33']) {
      expect(() => loadConfig({ DATA_DIR: dataDir, TRUST_PROXY: bad }), bad).toThrow(ConfigError);
    }
    expect(() => loadConfig({ DATA_DIR: dataDir, TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: must name the proxy/);
  });
});

describe('an installation without any account', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ seed: false, env: { NODE_ENV: 'production' } });
  });
  afterAll(async () => {
    await t.close();
  });
  const db = () => t.orm.em.getConnection();

  it('has no demo: admin / demo-cchc-2024 is refused', async () => {
    expect(Number((await db().execute('select count(*) as n from app_user'))[0].n)).toBe(0);
    const res = await new Browser(t.app).submit('/sign-in', '/sign-in', { username: 'admin', password: demoPassword });
    expect(res.statusCode).toBe(422);
  });

  it('makes the first secretariat account through the one-time address, once', async () => {
    const token = (await issueSetupToken(t.orm.em))!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only the hash is kept.
    const [row] = await db().execute<{ token_hash: string }[]>(
      'select token_hash from setup_token where used_at is null',
    );
    expect(row!.token_hash).not.toContain(token);
    expect((await new Browser(t.app).get(`/setup?token=${'x'.repeat(43)}`)).statusCode).toBe(404);
    expect((await new Browser(t.app).get('/setup')).statusCode).toBe(404);

    const b = new Browser(t.app);
    const page = await b.get(`/setup?token=${token}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('Tạo tài khoản Thư ký đầu tiên');

    const weak = await b.submit(`/setup?token=${token}`, '/setup', {
      token,
      username: 'thuky',
      fullName: 'Nguyễn Thư Ký',
      password: 'aaaaaaaaaa',
      repeat: 'aaaaaaaaaa',
    });
    expect(weak.statusCode).toBe(422);
    expect(fieldError(weak.body, 'password')).toBe(
      'Mật khẩu này quá phổ biến hoặc dễ đoán. Hãy chọn mật khẩu khác, ví dụ một câu ngắn dễ nhớ.',
    );
    expect(weak.body).toContain('value="Nguyễn Thư Ký"');
    expect(weak.body).not.toContain('aaaaaaaaaa');
    const demo = await b.submit(`/setup?token=${token}`, '/setup', {
      token,
      username: 'thuky',
      fullName: 'Nguyễn Thư Ký',
      password: demoPassword,
      repeat: demoPassword,
    });
    expect(fieldError(demo.body, 'password')).toBe('Không được dùng mật khẩu của bản trình diễn.');
    const mismatch = await b.submit(`/setup?token=${token}`, '/setup', {
      token,
      username: 'thuky',
      fullName: 'Nguyễn Thư Ký',
      password: 'phong noi vu truc ninh',
      repeat: 'phong noi vu truc ninh!',
    });
    expect(fieldError(mismatch.body, 'repeat')).toBe('Hai lần nhập mật khẩu mới không khớp.');

    // Everything left empty: every field's message at once, the password's too, and the summary in the fields' order.
    const blank = await b.submit(`/setup?token=${token}`, '/setup', {
      token,
      username: '',
      fullName: '',
      password: '',
      repeat: '',
    });
    expect(blank.statusCode).toBe(422);
    expect(fieldError(blank.body, 'username')).toBe('Nhập tên đăng nhập.');
    expect(fieldError(blank.body, 'password')).toBe('Nhập mật khẩu.');
    expect(summaryLinks(blank.body)).toEqual(['username', 'fullName', 'password']);
    const weakNameless = await b.submit(`/setup?token=${token}`, '/setup', {
      token,
      username: '',
      fullName: 'Nguyễn Thư Ký',
      password: 'aaaaaaaaaa',
      repeat: 'aaaaaaaaaa',
    });
    expect(summaryLinks(weakNameless.body)).toEqual(['username', 'password']);
    expect(fieldError(weakNameless.body, 'password')).toBe(
      'Mật khẩu này quá phổ biến hoặc dễ đoán. Hãy chọn mật khẩu khác, ví dụ một câu ngắn dễ nhớ.',
    );

    const own = 'phong noi vu truc ninh';
    const made = await b.submit(`/setup?token=${token}`, '/setup', {
      token,
      username: 'ThuKy',
      fullName: 'Nguyễn Thư Ký',
      password: own,
      repeat: own,
    });
    expect(made.statusCode).toBe(303);
    expect(made.headers.location).toBe('/admin');
    const admin = await b.get('/admin');
    expect(admin.statusCode).toBe(200);
    // An empty portal tells its first secretary where to begin.
    expect(admin.body).toContain('<h2>Bắt đầu</h2>');
    expect(admin.body).toContain(
      '<a href="/admin/workbooks/import">Nhập cả kỳ đánh giá từ một tệp Excel theo mẫu (cách nhanh nhất)</a>',
    );
    const [event] = await db().execute<{ action: string; after: { username: string; via: string } }[]>(
      `select action, after from audit_event where action = 'user.first-admin-created'`,
    );
    expect(event!.after).toMatchObject({ username: 'thuky', via: 'set-up address' });

    // The address is spent, and no new one is given now that an account exists.
    const again = await new Browser(t.app).get(`/setup?token=${token}`);
    expect(again.statusCode).toBe(404);
    expect(again.body).toContain('Địa chỉ thiết lập không còn dùng được');
    const replay = await new Browser(t.app).submit('/sign-in', '/setup', {
      token,
      username: 'thuky2',
      fullName: 'Kẻ Thứ Hai',
      password: own,
      repeat: own,
    });
    expect(replay.statusCode).toBe(404);
    expect(await issueSetupToken(t.orm.em)).toBeNull();
    expect(
      await createFirstAdmin(
        t.orm.em,
        { username: 'thuky3', fullName: 'Thứ Ba', password: `${own} ba`, repeat: `${own} ba` },
        'command line',
      ),
    ).toBe('admin-exists');
    expect(Number((await db().execute('select count(*) as n from app_user'))[0].n)).toBe(1);

    // The first secretary chose the password: no change is demanded.
    expect((await new Browser(t.app).signIn('thuky', own)).statusCode).toBe(303);
  });

  it('refuses an expired address', async () => {
    const fresh = await startTestApp({ seed: false });
    try {
      const token = (await issueSetupToken(fresh.orm.em))!;
      await fresh.orm.em.getConnection().execute(`update setup_token set expires_at = now() - interval '1 second'`);
      expect((await new Browser(fresh.app).get(`/setup?token=${token}`)).statusCode).toBe(404);
    } finally {
      await fresh.close();
    }
  });
});

describe('a temporary password', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });
  const db = () => t.orm.em.getConnection();
  const flag = async (username: string) =>
    (
      await db().execute<{ f: boolean }[]>('select must_change_password as f from app_user where username = ?', [
        username,
      ])
    )[0]!.f;
  const newPassword = (b: Browser, form: Record<string, string>) =>
    b.submit('/account/password', '/account/password', form);

  it('made by the secretariat must be changed at the first sign-in: every other page waits', async () => {
    const admin = await Browser.signedIn(t.app, 'admin');
    // The demo has its campaigns: no "getting started" on the secretariat's page.
    expect((await admin.get('/admin')).body).not.toContain('<h2>Bắt đầu</h2>');
    const created = await admin.submit('/admin/users/new', '/admin/users', {
      username: 'le.van.moi',
      fullName: 'Lê Văn Mới',
      password: '',
    });
    expect(created.statusCode).toBe(303);
    const temporary = /<code id="new-password">([^<]+)<\/code>/.exec(
      (await admin.get(created.headers.location as string)).body,
    )![1]!;
    await admin.submit('/admin/users/le.van.moi', '/admin/users/le.van.moi/roles', {
      role: 'officer',
      unit: 'xa-truc-dao',
      agency: '',
    });
    expect(await flag('le.van.moi')).toBe(true);

    const b = new Browser(t.app);
    expect((await b.signIn('le.van.moi', temporary)).headers.location).toBe('/home');
    for (const url of ['/home', '/unit', '/admin', '/council', '/appraisal']) {
      const res = await b.get(url);
      expect(res.statusCode, url).toBe(303);
      expect(res.headers.location, url).toBe('/account/password');
    }
    const page = await b.get('/account/password');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Bạn đang dùng mật khẩu tạm do Phòng Nội vụ cấp.');
    expect(page.body).toContain('Mật khẩu tạm mà bạn vừa dùng để đăng nhập.');
    expect(page.body).not.toContain('<a href="/home">');
    expect(page.body).toContain('href="/account/password"');

    const own = 'Lê Văn Mới tự đặt mật khẩu';
    const changed = await newPassword(b, { current: temporary, password: own, repeat: own });
    expect(changed.statusCode).toBe(303);
    expect(changed.headers.location).toBe('/home');
    expect(await flag('le.van.moi')).toBe(false);
    expect((await b.get('/unit')).statusCode).toBe(200);
    expect(
      (await new Browser(t.app).submit('/sign-in', '/sign-in', { username: 'le.van.moi', password: temporary }))
        .statusCode,
    ).toBe(422);
    await new Browser(t.app).signIn('le.van.moi', own);
  });

  it('lets a person with one still sign out', async () => {
    await db().execute(`update app_user set must_change_password = true where username = 'canbo2'`);
    const b = await Browser.signedIn(t.app, 'canbo2');
    const page = await b.get('/account/password');
    const out = await b.submit('/account/password', '/sign-out', {});
    expect(page.statusCode).toBe(200);
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/');
    expect((await b.get('/account/password')).headers.location).toBe('/sign-in?next=%2Faccount%2Fpassword');
    await db().execute(`update app_user set must_change_password = false where username = 'canbo2'`);
  });

  it("set again by the secretariat's reset, which ends the person's sessions", async () => {
    const user = await Browser.signedIn(t.app, 'chutichxa');
    const admin = await Browser.signedIn(t.app, 'admin');
    const reset = await admin.submit('/admin/users/chutichxa', '/admin/users/chutichxa/password', {});
    const temporary = /<code id="new-password">([^<]+)<\/code>/.exec(
      (await admin.get(reset.headers.location as string)).body,
    )![1]!;
    expect((await user.get('/unit')).headers.location).toBe('/sign-in?next=%2Funit');
    expect(await flag('chutichxa')).toBe(true);
    const b = new Browser(t.app);
    await b.signIn('chutichxa', temporary);
    expect((await b.get('/unit')).headers.location).toBe('/account/password');
    const [event] = await db().execute<{ after: { mustChangePassword: boolean } }[]>(
      `select after from audit_event where action = 'user.password-reset' order by id desc limit 1`,
    );
    expect(event!.after.mustChangePassword).toBe(true);
  });
});

describe("changing one's own password", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });
  const change = (b: Browser, form: Record<string, string>) => b.submit('/account/password', '/account/password', form);

  it('is linked from every signed-in page and refuses a wrong current password, a weak one, the username, a mismatch', async () => {
    const b = await Browser.signedIn(t.app, 'thamdinh-tuphap');
    expect((await b.get('/appraisal')).body).toMatch(/<a href="\/account\/password">Đổi mật khẩu<\/a>/);
    const cases: [Record<string, string>, string, string][] = [
      [
        { current: 'not-my-password', password: 'mot cau rat dai va la', repeat: 'mot cau rat dai va la' },
        'current',
        'Mật khẩu hiện tại không đúng.',
      ],
      [
        { current: '', password: 'mot cau rat dai va la', repeat: 'mot cau rat dai va la' },
        'current',
        'Nhập mật khẩu hiện tại.',
      ],
      [
        { current: demoPassword, password: 'aaaaaaaaaa', repeat: 'aaaaaaaaaa' },
        'password',
        'Mật khẩu này quá phổ biến hoặc dễ đoán. Hãy chọn mật khẩu khác, ví dụ một câu ngắn dễ nhớ.',
      ],
      [
        { current: demoPassword, password: 'password123', repeat: 'password123' },
        'password',
        'Mật khẩu này quá phổ biến hoặc dễ đoán. Hãy chọn mật khẩu khác, ví dụ một câu ngắn dễ nhớ.',
      ],
      [{ current: demoPassword, password: 'short', repeat: 'short' }, 'password', 'Mật khẩu phải có ít nhất 10 ký tự.'],
      [
        { current: demoPassword, password: 'ThamDinh-TuPhap', repeat: 'ThamDinh-TuPhap' },
        'password',
        'Mật khẩu không được trùng tên đăng nhập.',
      ],
      [
        { current: demoPassword, password: 'mot cau rat dai va la', repeat: 'mot cau khac' },
        'repeat',
        'Hai lần nhập mật khẩu mới không khớp.',
      ],
    ];
    for (const [form, field, message] of cases) {
      const res = await change(b, form);
      expect(res.statusCode, message).toBe(422);
      expect(fieldError(res.body, field), message).toBe(message);
      expect(res.body).toContain(`<a href="#${field}">${message}</a>`);
      for (const typed of [form.current, form.password])
        if (typed && typed.length > 5) expect(res.body).not.toContain(`value="${typed}"`);
    }
    // Both wrong at once: the summary reads in the fields' order, current password first.
    const both = await change(b, { current: 'not-my-password', password: demoPassword, repeat: demoPassword });
    expect(summaryLinks(both.body)).toEqual(['current', 'password']);
    // A way back to the person's pages (a temporary password has none: it must be changed first).
    expect(both.body).toContain('<a href="/home">Về trang chủ</a>');
    // Nothing changed: the demo password still works.
    await new Browser(t.app).signIn('thamdinh-tuphap', demoPassword);
  });

  it('counts a wrong current password like a failed sign-in, so a borrowed session cannot guess it', async () => {
    const b = new Browser(t.app, { remoteAddress: '192.0.2.99' });
    await b.signIn('congtac');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await change(b, { current: `guess-${i}`, password: 'mot cau rat dai va la', repeat: 'mot cau rat dai va la' }))
          .statusCode,
      );
    expect(statuses).toEqual([422, 422, 422, 422, 422, 429]);
    const [row] = await t.orm.em
      .getConnection()
      .execute<{ failures: number }[]>(
        `select failures from sign_in_throttle where kind = 'pair' and key = '192.0.2.99 congtac'`,
      );
    expect(row!.failures).toBe(5);
  });

  it('in English too', async () => {
    const b = await Browser.signedIn(t.app, 'canbo');
    await b.get('/lang/en?next=/unit');
    const res = await change(b, { current: demoPassword, password: 'aaaaaaaaaa', repeat: 'aaaaaaaaaa' });
    expect(fieldError(res.body, 'password')).toBe(
      'This password is too common or too easy to guess. Choose another one, for example a short sentence you remember.',
    );
  });

  it("ends the person's other sessions, keeps this one, and is audited", async () => {
    const b = await Browser.signedIn(t.app, 'chutich');
    const elsewhere = await Browser.signedIn(t.app, 'chutich');
    const own = 'chu tich hoi dong doi mat khau';
    const res = await change(b, { current: demoPassword, password: own, repeat: own });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/account/password?done=1');
    expect((await b.get(res.headers.location as string)).body).toContain(
      'Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã kết thúc.',
    );
    expect((await b.get('/council')).statusCode).toBe(200);
    expect((await elsewhere.get('/council')).statusCode).toBe(303);
    expect(
      (await new Browser(t.app).submit('/sign-in', '/sign-in', { username: 'chutich', password: demoPassword }))
        .statusCode,
    ).toBe(422);
    await new Browser(t.app).signIn('chutich', own);
    const [event] = await t.orm.em
      .getConnection()
      .execute<{ action: string; after: { sessionsEnded: number } }[]>(
        `select action, after from audit_event where action = 'user.password-changed' order by id desc limit 1`,
      );
    expect(event!.after.sessionsEnded).toBe(1);
    expect(JSON.stringify(event)).not.toContain(own);
  });
});
