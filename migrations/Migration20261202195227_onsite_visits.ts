import { Migration } from '@mikro-orm/migrations';

/**
 * On-site checks of a unit's self-scoring (kiểm tra thực tế việc tự chấm điểm): a visit by the secretariat, or by an
 * appraising agency when the campaign lets agencies record them, to a unit of a campaign in appraisal; its members,
 * its minutes (one file kept in the evidence store by its SHA-256, no scan flag: a scanned signed paper is normal
 * here) and one finding per criterion checked.
 */
export class Migration20261202195227_onsite_visits extends Migration {
  override name = 'Migration20261202195227_onsite_visits';

  override up(): void {
    this.addSql(`alter table "campaign" add column "onsite_by_agencies" boolean not null default false;`);
    this.addSql(`create table "onsite_visit" (
      "id" serial primary key,
      "campaign_id" integer not null references "campaign" ("id") on delete cascade,
      "unit_id" integer not null references "unit" ("id"),
      "agency_id" integer null references "agency" ("id"),
      "visited_on" date not null,
      "members" text not null,
      "minutes_sha256" varchar(64) null,
      "minutes_name" varchar(255) null,
      "minutes_media_type" varchar(128) null,
      "minutes_size" bigint null,
      "recorded_by_id" integer not null references "app_user" ("id"),
      "recorded_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now());`);
    this.addSql(`create index "onsite_visit_campaign_id_unit_id_index" on "onsite_visit" ("campaign_id", "unit_id");`);
    this.addSql(`create index "onsite_visit_minutes_sha256_index" on "onsite_visit" ("minutes_sha256");`);
    this.addSql(`create table "onsite_finding" (
      "id" serial primary key,
      "visit_id" integer not null references "onsite_visit" ("id") on delete cascade,
      "criterion_id" integer not null references "criterion" ("id"),
      "result" varchar(16) not null check ("result" in ('match', 'mismatch', 'not-shown')),
      "note" text not null default '',
      unique ("visit_id", "criterion_id"),
      check ("result" <> 'mismatch' or "note" <> ''));`);
    this.addSql(`create index "onsite_finding_criterion_id_index" on "onsite_finding" ("criterion_id");`);
  }

  override down(): void {
    this.addSql(`drop table if exists "onsite_finding";`);
    this.addSql(`drop table if exists "onsite_visit";`);
    this.addSql(`alter table "campaign" drop column "onsite_by_agencies";`);
  }
}
