import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../../src/db/orm.ts';
import { AppRoleError, appendOnlyTables, checkAppRole, grantAppRole } from '../../src/db/roles.ts';
import { seedDemoIfEmpty } from '../../src/features/demo/seed.ts';
import { freshDatabaseUrl } from '../helpers/db.ts';
import { appUrlFor, testAppRole } from '../helpers/roles.ts';

// The audit log and publications are guarded twice: triggers refuse UPDATE, DELETE and TRUNCATE for everyone, and
// the role the app connects as has no such privilege and owns nothing, so it cannot switch the triggers off either.
let ownerUrl: string;
let owner: MikroORM;
let app: pg.Client;
beforeAll(async () => {
  ownerUrl = await freshDatabaseUrl();
  owner = await openOrm(ownerUrl, { poolMax: 2 });
  await seedDemoIfEmpty(owner, '2026-11-22');
  await owner.em.getConnection().execute(
    `insert into publication (campaign_id, version, published_at, results, results_json, results_csv, results_xlsx, sha256, csv_sha256, xlsx_sha256)
     select id, 1, now(), '{}'::jsonb, '{}', '', '\\x00'::bytea, repeat('a', 64), repeat('b', 64), repeat('c', 64) from campaign limit 1`,
  );
  app = new pg.Client({ connectionString: appUrlFor(ownerUrl) });
  await app.connect();
});
afterAll(async () => {
  await app.end();
  await owner.close();
});

const asApp = (sql: string) => app.query(sql);

describe("the application's database role", () => {
  it('is who the app is: not a superuser, owning nothing', async () => {
    const {
      rows: [me],
    } = await asApp(`select current_user as name, r.rolsuper, r.rolcreaterole, r.rolcreatedb
      from pg_roles r where r.rolname = current_user`);
    expect(me).toEqual({ name: testAppRole, rolsuper: false, rolcreaterole: false, rolcreatedb: false });
    const { rows: owned } = await asApp(`select tablename from pg_tables where tableowner = current_user`);
    expect(owned).toEqual([]);
  });

  it('reads and adds to the audit log', async () => {
    const {
      rows: [before],
    } = await asApp('select count(*)::int as n from audit_event');
    expect(before.n).toBeGreaterThan(0);
    await asApp(`insert into audit_event (at, action, entity_type, entity_id)
                 select now(), 'test.appended', entity_type, entity_id from audit_event limit 1`);
    const {
      rows: [after],
    } = await asApp('select count(*)::int as n from audit_event');
    expect(after.n).toBe(before.n + 1);
  });

  for (const table of appendOnlyTables) {
    it(`cannot change, delete or empty ${table}`, async () => {
      await expect(asApp(`update "${table}" set id = id`)).rejects.toThrow(/permission denied/);
      await expect(asApp(`delete from "${table}"`)).rejects.toThrow(/permission denied/);
      await expect(asApp(`truncate "${table}"`)).rejects.toThrow(/permission denied/);
    });

    it(`cannot switch off or drop the guards of ${table}, nor drop or alter the table`, async () => {
      await expect(asApp(`alter table "${table}" disable trigger all`)).rejects.toThrow(/must be owner/);
      await expect(asApp(`alter table "${table}" disable trigger ${table}_no_update`)).rejects.toThrow(/must be owner/);
      await expect(asApp(`drop trigger ${table}_no_update on "${table}"`)).rejects.toThrow(/must be owner/);
      await expect(asApp(`alter table "${table}" owner to ${testAppRole}`)).rejects.toThrow(/must be owner/);
      await expect(asApp(`drop table "${table}" cascade`)).rejects.toThrow(/must be owner/);
    });
  }

  it('cannot bypass triggers for its session, replace the guard function, create tables or grant itself more', async () => {
    await expect(asApp('set session_replication_role = replica')).rejects.toThrow(/permission denied/);
    await expect(
      asApp(
        `create or replace function refuse_change() returns trigger language plpgsql as $$ begin return new; end $$`,
      ),
    ).rejects.toThrow(/must be owner|permission denied/);
    await expect(asApp('create table audit_copy (id int)')).rejects.toThrow(/permission denied/);
    // GRANT without the grant option only warns "no privileges were granted": nothing changes.
    await asApp(`grant update, delete on audit_event to ${testAppRole}`);
    const {
      rows: [can],
    } = await asApp(
      `select has_table_privilege('audit_event', 'UPDATE') or has_table_privilege('audit_event', 'DELETE') as change`,
    );
    expect(can.change).toBe(false);
    await expect(asApp('delete from mikro_orm_migrations')).rejects.toThrow(/permission denied/);
  });

  it('still keeps the working tables: reads, writes and deletes where the app must', async () => {
    await asApp(`update campaign set name = name`);
    await asApp(`delete from user_session where false`);
    const { rows } = await asApp('select count(*)::int as n from app_user');
    expect(rows[0].n).toBeGreaterThan(0);
  });

  it('start-up refuses a role that could change the audit log', async () => {
    const conn = owner.em.getConnection();
    // The owner itself (here a superuser too) is refused.
    const ownerRole = decodeURIComponent(new URL(ownerUrl).username);
    await expect(checkAppRole(conn, ownerRole)).rejects.toThrow(AppRoleError);
    // A role granted UPDATE on the audit log is refused, and granting again puts it right.
    await conn.execute(`grant update on audit_event to ${testAppRole}`);
    await expect(checkAppRole(conn, testAppRole)).rejects.toThrow(/may change or delete rows of audit_event/);
    await grantAppRole(owner, testAppRole);
    await expect(checkAppRole(conn, testAppRole)).resolves.toBeUndefined();
    await expect(checkAppRole(conn, 'no_such_role')).rejects.toThrow(/does not exist/);
  });
});
