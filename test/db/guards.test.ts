import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoIfEmpty } from '../../src/features/demo/seed.ts';
import { freshOrm } from '../helpers/db.ts';

let orm: MikroORM;
beforeAll(async () => {
  orm = await freshOrm();
  await seedDemoIfEmpty(orm, '2026-11-22');
});
afterAll(async () => {
  await orm.close();
});

const sql = (text: string) => orm.em.getConnection().execute<Record<string, any>[]>(text);

describe('the database itself', () => {
  it('refuses to change or delete an audit event', async () => {
    const [row] = await sql('select id from audit_event limit 1');
    expect(row).toBeDefined();
    await expect(sql(`update audit_event set action = 'x' where id = ${row.id}`)).rejects.toThrow(/append-only/);
    await expect(sql(`delete from audit_event where id = ${row.id}`)).rejects.toThrow(/append-only/);
    await expect(sql('truncate audit_event')).rejects.toThrow(/append-only/);
  });

  it('refuses to change a publication once written', async () => {
    await sql(`insert into publication (campaign_id, version, published_at, results, results_json, results_csv, results_xlsx, sha256, csv_sha256, xlsx_sha256)
               select id, 1, now(), '{}'::jsonb, '{}', '', '\\x00'::bytea, repeat('a', 64), repeat('b', 64), repeat('c', 64) from campaign limit 1`);
    await expect(sql(`update publication set results = '{"x":1}'::jsonb`)).rejects.toThrow(/append-only/);
    await expect(sql('delete from publication')).rejects.toThrow(/append-only/);
  });

  it('sorts Vietnamese names as Vietnamese readers expect and searches without diacritics', async () => {
    const names = ['Ơn', 'Đồng', 'Ba', 'Ân', 'O', 'Bắc', 'An', 'Dương', 'Ô'];
    const list = names.map((n) => `('${n}')`).join(',');
    const rows = await sql(`select n from (values ${list}) as v(n) order by n collate "vi-x-icu"`);
    expect(rows.map((r) => r.n)).toEqual(['An', 'Ân', 'Ba', 'Bắc', 'Dương', 'Đồng', 'O', 'Ô', 'Ơn']);
    const found = await orm.em
      .getConnection()
      .execute<{ name: string }[]>(
        `select name from unit where f_unaccent(lower(name)) like '%' || f_unaccent(lower(?)) || '%' order by name`,
        ['truc thanh'],
      );
    expect(found.map((r) => r.name)).toContain('Xã Trực Thanh');
  });

  it('keeps scores exact: numeric comes back as a decimal string', async () => {
    const [row] = await sql(`select max_score from criterion where code = '3.2.6'`);
    expect(typeof row.max_score).toBe('string');
  });
});
