import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, startTestApp, type TestApp } from '../helpers/app.ts';
import { paths } from '../../src/http/paths.ts';

let t: TestApp;
let code: string;
beforeAll(async () => {
  t = await startTestApp();
  code = (await t.orm.em.getConnection().execute('select code from campaign limit 1'))[0].code;
});
afterAll(async () => {
  await t.close();
});

describe("a unit's data", () => {
  it('is open to its own officer', async () => {
    const b = await Browser.signedIn(t.app, 'canbo');
    const res = await b.get(paths.unit.campaign('xa-truc-thanh', code));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Xã Trực Thanh');
  });

  it("is not found for another unit's officer guessing the address", async () => {
    const b = await Browser.signedIn(t.app, 'canbo2');
    expect((await b.get(paths.unit.campaign('xa-truc-dao', code))).statusCode).toBe(200);
    const guessed = await b.get(paths.unit.campaign('xa-truc-thanh', code));
    expect(guessed.statusCode).toBe(404);
    expect(guessed.body).not.toContain('Xã Trực Thanh');
    expect((await b.get('/unit')).body).not.toContain('xa-truc-thanh');
  });

  it('is not found for an appraiser or the secretariat through the unit area', async () => {
    for (const username of ['thamdinh', 'admin']) {
      const b = await Browser.signedIn(t.app, username);
      expect((await b.get(paths.unit.campaign('xa-truc-thanh', code))).statusCode).toBe(404);
    }
  });
});
