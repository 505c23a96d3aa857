import { Migration } from '@mikro-orm/migrations';

/** Extensions for Vietnamese search, and the database's own guard on what must never change. */
export class Migration20261122211700_guards extends Migration {
  override name = 'Migration20261122211700_guards';

  override up(): void {
    this.addSql(`create extension if not exists unaccent;`);
    this.addSql(`create extension if not exists pg_trgm;`);
    // unaccent() is only stable; an immutable wrapper can back an index.
    this.addSql(`create or replace function f_unaccent(text) returns text language sql immutable parallel safe strict
      as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$;`);
    this.addSql(`create or replace function refuse_change() returns trigger language plpgsql as $$
      begin
        raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = 'integrity_constraint_violation';
      end $$;`);
    for (const table of ['audit_event', 'publication', 'published_result']) {
      this.addSql(`create trigger ${table}_no_update before update or delete on "${table}" for each row execute function refuse_change();`);
      this.addSql(`create trigger ${table}_no_truncate before truncate on "${table}" for each statement execute function refuse_change();`);
    }
    this.addSql(`create index unit_search_idx on unit using gin (f_unaccent(lower(name)) gin_trgm_ops);`);
  }

  override down(): void {
    for (const table of ['audit_event', 'publication', 'published_result']) {
      this.addSql(`drop trigger if exists ${table}_no_update on "${table}";`);
      this.addSql(`drop trigger if exists ${table}_no_truncate on "${table}";`);
    }
    this.addSql(`drop index if exists unit_search_idx;`);
    this.addSql(`drop function if exists refuse_change();`);
    this.addSql(`drop function if exists f_unaccent(text);`);
  }
}
