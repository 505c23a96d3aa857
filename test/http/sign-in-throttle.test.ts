import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../src/features/demo/seed.ts';
import { addressKey, delaySeconds, throttleRules } from '../../src/features/auth/sign-in-throttle.ts';
import { Browser, csrfToken, startTestApp, type TestApp } from '../helpers/app.ts';

// Sign-in throttling (ASVS 5 V6): failures slow the guesser, never lock the owner out; counters are exact under concurrency.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const db = () => t.orm.em.getConnection();
const counter = async (kind: string, key: string) =>
  Number(
    (
      await db().execute<{ failures: number }[]>('select failures from sign_in_throttle where kind = ? and key = ?', [
        kind,
        key,
      ])
    )[0]?.failures ?? 0,
  );
/** As if every failure so far had happened `minutes` earlier: delays run out without waiting in the test. */
const age = (minutes: number) =>
  db().execute(`update sign_in_throttle set last_at = last_at - interval '${minutes} minutes'`);

let n = 0;
/** A fresh client address for each test, so that tests do not share counters. */
const freshAddress = () => `198.51.100.${++n}`;
const from = (address: string) => new Browser(t.app, { remoteAddress: address });

function tryPassword(b: Browser, username: string, password: string, headers?: Record<string, string>) {
  return b.submit('/sign-in', '/sign-in', { username, password }, headers);
}

describe("a stranger's wrong passwords", () => {
  it('slow that stranger on that account, but do not stop the owner signing in from elsewhere', async () => {
    const stranger = from(freshAddress());
    const statuses: number[] = [];
    for (let i = 0; i < throttleRules.pair.free + 3; i++)
      statuses.push((await tryPassword(stranger, 'chutich', `guess-${i}`)).statusCode);
    expect(statuses.slice(0, throttleRules.pair.free)).toEqual(Array(throttleRules.pair.free).fill(422));
    expect(statuses.slice(throttleRules.pair.free)).toEqual([429, 429, 429]);
    // Even the right password waits at the stranger's address…
    expect((await tryPassword(stranger, 'chutich', demoPassword)).statusCode).toBe(429);
    // …while the chair, at another address, signs in at once.
    const owner = await tryPassword(from(freshAddress()), 'chutich', demoPassword);
    expect(owner.statusCode).toBe(303);
    expect(owner.headers.location).toBe('/home');
  });

  it('make the next try wait longer each time, and say how long with Retry-After', async () => {
    const b = from(freshAddress());
    for (let i = 0; i < throttleRules.pair.free; i++)
      expect((await tryPassword(b, 'canbo', `wrong-${i}`)).statusCode).toBe(422);
    const first = await tryPassword(b, 'canbo', 'wrong-again');
    expect(first.statusCode).toBe(429);
    const firstWait = Number(first.headers['retry-after']);
    expect(firstWait).toBeGreaterThan(0);
    expect(firstWait).toBeLessThanOrEqual(delaySeconds('pair', throttleRules.pair.free));
    expect(first.body).toContain('Có quá nhiều lần đăng nhập sai. Mật khẩu vừa nhập chưa được kiểm tra: vui lòng chờ');
    expect(first.body).toContain(`${firstWait} giây`);

    await age(20);
    expect((await tryPassword(b, 'canbo', 'wrong-after-the-wait')).statusCode).toBe(422);
    const second = await tryPassword(b, 'canbo', 'wrong-again');
    expect(second.statusCode).toBe(429);
    const secondWait = Number(second.headers['retry-after']);
    expect(secondWait).toBeGreaterThan(firstWait);
    expect(secondWait).toBeLessThanOrEqual(delaySeconds('pair', throttleRules.pair.free + 1));

    // The wait over, the right password works and clears this address's count for the account.
    await age(20);
    expect((await tryPassword(b, 'canbo', demoPassword)).statusCode).toBe(303);
    expect(await counter('pair', `${addressKey(`198.51.100.${n}`)} canbo`)).toBe(0);
  });

  it('from one address across many accounts reach the per-address limit, which spares other addresses', async () => {
    const address = freshAddress();
    const b = from(address);
    for (let i = 0; i < throttleRules.address.free; i++)
      expect((await tryPassword(b, `nobody-${i}`, 'sai-mat-khau')).statusCode).toBe(422);
    expect(await counter('address', address)).toBe(throttleRules.address.free);
    expect((await tryPassword(b, 'thamdinh-tuphap', demoPassword)).statusCode).toBe(429);
    expect((await tryPassword(from(freshAddress()), 'thamdinh-tuphap', demoPassword)).statusCode).toBe(303);
  });

  it('spread over many addresses reach a per-account ceiling that slows, and never blocks for good', async () => {
    await db().execute(
      `insert into sign_in_throttle (kind, key, failures, last_at) values ('account', 'chutichxa', ?, now())`,
      [throttleRules.account.free],
    );
    const res = await tryPassword(from(freshAddress()), 'chutichxa', demoPassword);
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(throttleRules.account.capSeconds);
    // Even at a huge count the delay stays capped: once it has passed, the owner is in.
    await db().execute(`update sign_in_throttle set failures = 100000 where kind = 'account' and key = 'chutichxa'`);
    await age(throttleRules.account.capSeconds / 60 + 0.5);
    expect((await tryPassword(from(freshAddress()), 'chutichxa', demoPassword)).statusCode).toBe(303);
  });
});

describe('the counters', () => {
  it('count 40 parallel tries (39 wrong, 1 right) exactly: no lost update', async () => {
    const tries = Array.from({ length: 40 }, (_, i) => ({
      address: `203.0.113.${i + 1}`,
      password: i === 17 ? demoPassword : `wrong-${i}`,
    }));
    const browsers = tries.map((x) => from(x.address));
    const pages = await Promise.all(browsers.map((b) => b.get('/sign-in')));
    const results = await Promise.all(
      browsers.map((b, i) =>
        b.request('POST', '/sign-in', {
          form: { _csrf: csrfToken(pages[i]!.body), username: 'canbo2', password: tries[i]!.password },
        }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([303, ...Array(39).fill(422)]);
    expect(results[17]!.statusCode).toBe(303);
    expect(await counter('account', 'canbo2')).toBe(39);
  });

  it('count every checked wrong password from one address, however many arrive at once', async () => {
    const address = freshAddress();
    const browsers = Array.from({ length: 40 }, () => from(address));
    const pages = await Promise.all(browsers.map((b) => b.get('/sign-in')));
    const results = await Promise.all(
      browsers.map((b, i) =>
        b.request('POST', '/sign-in', {
          form: { _csrf: csrfToken(pages[i]!.body), username: 'congtac', password: `wrong-${i}` },
        }),
      ),
    );
    const checked = results.filter((r) => r.statusCode === 422).length;
    expect(checked + results.filter((r) => r.statusCode === 429).length).toBe(40);
    expect(await counter('pair', `${address} congtac`)).toBe(checked);
    expect(await counter('address', address)).toBe(checked);
  });

  it('treat a made-up username exactly like a real one: same status, same page, same counters', async () => {
    const a = from(freshAddress());
    const b = from(freshAddress());
    // Same length, so that the pages differ in nothing but the name put back into the form.
    const known = 'thamdinh-tuphap';
    const unknown = 'nobody-at-all-x';
    const normalize = (html: string, name: string) =>
      html.replace(/name="_csrf" value="[^"]+"/g, '').replaceAll(name, 'NAME');
    for (let i = 0; i <= throttleRules.pair.free; i++) {
      const [k, u] = [await tryPassword(a, known, `wrong-${i}`), await tryPassword(b, unknown, `wrong-${i}`)];
      expect(u.statusCode).toBe(k.statusCode);
      expect(u.headers['retry-after'] === undefined).toBe(k.headers['retry-after'] === undefined);
      expect(normalize(u.body.replace(/\d+ giây/, 'N giây'), unknown)).toBe(
        normalize(k.body.replace(/\d+ giây/, 'N giây'), known),
      );
    }
    expect(await counter('pair', `198.51.100.${n - 1} ${known}`)).toBe(throttleRules.pair.free);
    expect(await counter('pair', `198.51.100.${n} ${unknown}`)).toBe(throttleRules.pair.free);
  });
});

describe('odd input', () => {
  it('a NUL byte or other control character in the username is refused as bad input (400), not a server error, and counts nothing', async () => {
    const address = freshAddress();
    const b = from(address);
    for (const username of ['can\u0000bo', '\u0000', 'x\u001by']) {
      const res = await tryPassword(b, username, 'wrong');
      expect(res.statusCode, JSON.stringify(username)).toBe(400);
    }
    expect(await counter('address', address)).toBe(0);
    // DEL is not refused by the request guard: the form drops it, and the try counts as an ordinary failure.
    expect((await tryPassword(b, 'can\u007fbo', 'wrong')).statusCode).toBe(422);
    expect(await counter('pair', `${address} canbo`)).toBe(1);
  });
});

describe('the client address', () => {
  it('comes from the socket: X-Forwarded-For is ignored without TRUST_PROXY', async () => {
    const address = freshAddress();
    const b = from(address);
    for (let i = 0; i < throttleRules.pair.free; i++)
      await tryPassword(b, 'canbo', `wrong-${i}`, { 'x-forwarded-for': `192.0.2.${i + 1}` });
    expect(await counter('pair', `${address} canbo`)).toBe(throttleRules.pair.free);
    expect((await tryPassword(b, 'canbo', demoPassword, { 'x-forwarded-for': '192.0.2.200' })).statusCode).toBe(429);
  });

  it('comes from X-Forwarded-For only when the request comes through the proxy TRUST_PROXY names', async () => {
    const proxied = await startTestApp({ env: { TRUST_PROXY: '10.0.0.1' } });
    try {
      const db2 = proxied.orm.em.getConnection();
      const count = async (kind: string, key: string) =>
        Number(
          (
            await db2.execute<{ failures: number }[]>(
              'select failures from sign_in_throttle where kind = ? and key = ?',
              [kind, key],
            )
          )[0]?.failures ?? 0,
        );
      const viaProxy = new Browser(proxied.app, { remoteAddress: '10.0.0.1' });
      await viaProxy.submit(
        '/sign-in',
        '/sign-in',
        { username: 'canbo', password: 'wrong' },
        { 'x-forwarded-for': '192.0.2.77' },
      );
      expect(await count('address', '192.0.2.77')).toBe(1);
      expect(await count('address', '10.0.0.1')).toBe(0);
      const direct = new Browser(proxied.app, { remoteAddress: '10.0.0.2' });
      await direct.submit(
        '/sign-in',
        '/sign-in',
        { username: 'canbo', password: 'wrong' },
        { 'x-forwarded-for': '192.0.2.78' },
      );
      expect(await count('address', '10.0.0.2')).toBe(1);
      expect(await count('address', '192.0.2.78')).toBe(0);
    } finally {
      await proxied.close();
    }
  });

  it('is counted by its /64 for IPv6, where one client holds many addresses', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('192.0.2.1')).toBe('192.0.2.1');
  });
});
