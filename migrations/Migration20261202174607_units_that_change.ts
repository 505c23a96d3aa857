import { Migration } from '@mikro-orm/migrations';

/**
 * The two-tier local government (2025): a unit's type comes from a list the secretariat may extend, it may carry the
 * official administrative code and the dates it exists between, and it names the units it continues (merged from, or
 * its former self when renamed). A campaign's units may be ranked in blocks (khối).
 */
export class Migration20261202174607_units_that_change extends Migration {
  override name = 'Migration20261202174607_units_that_change';

  override up(): void {
    this.addSql(`create table "unit_kind" (
      "name" varchar(64) primary key,
      "position" integer not null,
      "created_at" timestamptz not null default now());`);
    this.addSql(`insert into "unit_kind" ("name", "position") values
      ('xã', 1), ('phường', 2), ('đặc khu', 3), ('thị trấn', 4), ('sở', 5), ('ban', 6), ('ngành', 7), ('UBND huyện', 8);`);
    // Kinds already written on units stay valid: they join the list after the fixed ones.
    this.addSql(`insert into "unit_kind" ("name", "position")
      select k, 100 + row_number() over (order by k) from (select distinct "kind" as k from "unit" where "kind" <> '') d
      on conflict do nothing;`);
    this.addSql(`alter table "unit"
      add column "official_code" varchar(16) null,
      add column "exists_from" date null,
      add column "exists_until" date null;`);
    this.addSql(`create index "unit_official_code_index" on "unit" ("official_code");`);
    this.addSql(`create table "unit_predecessor" (
      "unit_id" integer not null references "unit" ("id") on delete cascade,
      "predecessor_id" integer not null references "unit" ("id"),
      primary key ("unit_id", "predecessor_id"),
      check ("unit_id" <> "predecessor_id"));`);
    this.addSql(`create index "unit_predecessor_predecessor_id_index" on "unit_predecessor" ("predecessor_id");`);
    this.addSql(`alter table "campaign_unit" add column "block" varchar(255) null;`);
    this.addSql(`alter table "published_result" add column "block" varchar(255) null;`);
  }

  override down(): void {
    this.addSql(`alter table "published_result" drop column "block";`);
    this.addSql(`alter table "campaign_unit" drop column "block";`);
    this.addSql(`drop table if exists "unit_predecessor";`);
    this.addSql(`alter table "unit" drop column "official_code", drop column "exists_from", drop column "exists_until";`);
    this.addSql(`drop table if exists "unit_kind";`);
  }
}
