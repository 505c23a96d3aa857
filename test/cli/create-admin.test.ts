import { describe, expect, it } from 'vitest';
import { Browser, startTestApp } from '../helpers/app.ts';
import { cliWorkspace, runCli } from '../helpers/cli.ts';

// `npm run cli -- create-admin USERNAME`: the first secretariat account of a new installation, from the command line.

const ws = cliWorkspace('cchc-create-admin-');
const createAdmin = (input: string, ...args: string[]) =>
  runCli(['create-admin', ...args], { DATABASE_URL: ws.databaseUrl, DATA_DIR: ws.dir }, input);
const users = async () =>
  ws.orm.em
    .getConnection()
    .execute<{ username: string; full_name: string; must_change_password: boolean }[]>(
      'select username, full_name, must_change_password from app_user order by id',
    );

describe('create-admin', () => {
  it('refuses a weak password, read from stdin, and writes nothing', async () => {
    const run = await createAdmin('aaaaaaaaaa\n', 'thuky');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('password: This password is too common or too easy to guess.');
    const same = await createAdmin('Thu-Ky-Noi-Vu\n', 'thu-ky-noi-vu');
    expect(same.status).toBe(1);
    expect(same.stderr).toContain('password: The password must not be the username.');
    expect(await users()).toEqual([]);
  });

  it('makes the first secretariat account with the password from stdin, once', async () => {
    const password = 'phong noi vu huyen truc ninh';
    const run = await createAdmin(`${password}\n`, 'ThuKy', '--name', 'Nguyễn Thư Ký');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.toString()).toContain('Created the secretariat account thuky');
    expect(run.stdout.toString()).not.toContain(password);
    expect(await users()).toEqual([{ username: 'thuky', full_name: 'Nguyễn Thư Ký', must_change_password: false }]);
    const [grant] = await ws.orm.em.getConnection().execute<{ role: string }[]>('select role from role_assignment');
    expect(grant!.role).toBe('admin');

    const again = await createAdmin('another long password here\n', 'thuky2');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('A secretariat account exists already');
    expect((await users()).length).toBe(1);
  });

  it('gives an account that signs in at once, with no change demanded', async () => {
    // A second app on a fresh database, with the account made by the command line there.
    const t = await startTestApp({ seed: false });
    try {
      const run = await runCli(
        ['create-admin', 'admin2'],
        { DATABASE_URL: t.databaseUrl, DATA_DIR: ws.dir },
        'mot mat khau rat dai\n',
      );
      expect(run.status).toBe(0);
      const b = new Browser(t.app);
      await b.signIn('admin2', 'mot mat khau rat dai');
      expect((await b.get('/admin')).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('needs exactly one username', async () => {
    const run = await createAdmin('', 'a', 'b');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('create-admin USERNAME');
  });
});
