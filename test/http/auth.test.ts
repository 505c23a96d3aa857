import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoUsers } from '../../src/features/demo/seed.ts';
import { Browser, csrfToken, startTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const sessionCount = async () =>
  Number((await t.orm.em.getConnection().execute('select count(*) as n from user_session'))[0].n);
const areaOfRole: Record<string, string> = {
  admin: 'admin',
  chair: 'council',
  appraiser: 'appraisal',
  officer: 'unit',
  head: 'unit',
  contributor: 'unit',
};
const allAreas = ['admin', 'council', 'appraisal', 'unit'];

describe('anonymous visitors', () => {
  it('create no session row on any public GET', async () => {
    const before = await sessionCount();
    const b = new Browser(t.app);
    for (const url of ['/', '/sign-in', '/lang/en?next=/', '/', '/no-such-page', '/home', '/admin']) await b.get(url);
    expect(await sessionCount()).toBe(before);
    expect(b.cookies.has('cchc_session')).toBe(false);
  });

  it('are sent to the sign-in page from a signed-in area', async () => {
    const res = await new Browser(t.app).get('/unit');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/sign-in?next=%2Funit');
  });
});

describe('sign-in', () => {
  it.each(demoUsers.map((u) => [u.username, u.role] as const))(
    "%s (%s) signs in and sees only its role's navigation",
    async (username, role) => {
      const b = new Browser(t.app);
      const res = await b.signIn(username);
      expect(res.headers.location).toBe('/home');
      const home = await b.get('/home');
      const own = role === 'admin' ? ['admin', 'council'] : [areaOfRole[role]];
      const page = home.statusCode === 303 ? await b.get(home.headers.location as string) : home;
      expect(page.statusCode).toBe(200);
      const nav = /<nav aria-label="[^"]*" class="areas">([\s\S]*?)<\/nav>/.exec(page.body)?.[1] ?? '';
      for (const area of allAreas) {
        expect(nav.includes(`href="/${area}"`), `${username} nav has /${area}`).toBe(own.includes(area));
        const visit = await b.get(`/${area}`);
        expect(visit.statusCode, `${username} GET /${area}`).toBe(own.includes(area) ? 200 : 404);
      }
    },
  );

  it('refuses a wrong password with a message beside the form, keeping the username', async () => {
    const res = await new Browser(t.app).submit('/sign-in', '/sign-in', { username: 'canbo', password: 'wrong' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Tên đăng nhập hoặc mật khẩu không đúng.');
    expect(res.body).toContain('value="canbo"');
  });

  it('asks for missing fields, each beside its field', async () => {
    const res = await new Browser(t.app).submit('/sign-in', '/sign-in', { username: '', password: '' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('<a href="#username">Nhập tên đăng nhập.</a>');
    expect(res.body).toContain('id="password-error"');
  });

  it('refuses a POST without a valid CSRF token', async () => {
    const b = new Browser(t.app);
    await b.get('/sign-in');
    const res = await b.request('POST', '/sign-in', {
      form: { username: 'canbo', password: 'demo-cchc-2024', _csrf: 'forged' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Biểu mẫu đã hết hạn');
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it('gives a new session token at sign-in (no fixation) and only ever goes to a local page after it', async () => {
    const b = new Browser(t.app);
    b.cookies.set('cchc_session', 'planted-by-attacker');
    const page = await b.get('/sign-in');
    const res = await b.request('POST', '/sign-in', {
      form: { _csrf: csrfToken(page.body), username: 'canbo', password: 'demo-cchc-2024', next: '//evil.example/x' },
    });
    expect(res.headers.location).toBe('/home');
    expect(b.cookies.get('cchc_session')).not.toBe('planted-by-attacker');
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/cchc_session=[^;]+;.*HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
  });
});

describe('sessions', () => {
  it('end at sign-out: the old cookie no longer opens anything', async () => {
    const b = await Browser.signedIn(t.app, 'canbo');
    const cookie = b.cookieHeader;
    expect((await b.get('/unit')).statusCode).toBe(200);
    const page = await b.get('/unit');
    await b.request('POST', '/sign-out', { form: { _csrf: csrfToken(page.body) } });
    const replay = await t.app.inject({ method: 'GET', url: '/unit', headers: { cookie } });
    expect(replay.statusCode).toBe(303);
  });

  it('end at once when the user is deactivated', async () => {
    const b = await Browser.signedIn(t.app, 'canbo2');
    expect((await b.get('/unit')).statusCode).toBe(200);
    await t.orm.em.getConnection().execute("update app_user set active = false where username = 'canbo2'");
    expect((await b.get('/unit')).statusCode).toBe(303);
    await t.orm.em.getConnection().execute("update app_user set active = true where username = 'canbo2'");
  });

  it('are kept in PostgreSQL, so they survive a restart of the app', async () => {
    const b = await Browser.signedIn(t.app, 'chutich');
    const { buildApp } = await import('../../src/app.ts');
    const second = await buildApp({ config: t.app.config, orm: t.orm, logger: false });
    const res = await second.inject({ method: 'GET', url: '/council', headers: { cookie: b.cookieHeader } });
    expect(res.statusCode).toBe(200);
    await second.close();
  });
});
