import { Migration } from '@mikro-orm/migrations';

/**
 * The satisfaction survey collected online (issue 17): a campaign's questionnaire (respondent groups, their questions,
 * the window it is open), a short address per unit, one-time codes printed on slips, and the answers themselves: the
 * levels in question order, online or typed from paper, with a salted hash of the sender's address and of the
 * device's cookie, never the address itself. Answers are voided with a reason, never deleted.
 */
export class Migration20261202195238_online_survey extends Migration {
  override name = 'Migration20261202195238_online_survey';

  override up(): void {
    this.addSql(`create table "survey_settings" (
      "campaign_id" integer primary key references "campaign" ("id") on delete cascade,
      "online" boolean not null default false,
      "opens_on" date null,
      "closes_on" date null,
      "no_opinion" boolean not null default true,
      "units_type_paper" boolean not null default false,
      "updated_at" timestamptz not null default now(),
      check ("closes_on" is null or "opens_on" is null or "closes_on" >= "opens_on"));`);
    this.addSql(`create table "survey_group" (
      "id" serial primary key,
      "campaign_id" integer not null references "campaign" ("id") on delete cascade,
      "position" integer not null,
      "name" varchar(200) not null,
      unique ("campaign_id", "position"));`);
    this.addSql(`create table "survey_question" (
      "id" serial primary key,
      "group_id" integer not null references "survey_group" ("id") on delete cascade,
      "position" integer not null,
      "text" varchar(500) not null,
      unique ("group_id", "position"));`);
    this.addSql(`create table "survey_link" (
      "campaign_id" integer not null references "campaign" ("id") on delete cascade,
      "unit_id" integer not null references "unit" ("id"),
      "code" varchar(16) not null unique,
      "slips_required" boolean not null default false,
      primary key ("campaign_id", "unit_id"));`);
    this.addSql(`create table "survey_answer" (
      "id" bigserial primary key,
      "campaign_id" integer not null references "campaign" ("id") on delete cascade,
      "unit_id" integer not null references "unit" ("id"),
      "group_id" integer not null references "survey_group" ("id"),
      "source" varchar(8) not null check ("source" in ('online', 'paper')),
      "levels" smallint[] not null check (0 <= all ("levels") and 5 >= all ("levels")),
      "comment" varchar(1000) null,
      "answered_on" date not null,
      "address_hash" varchar(64) null,
      "device_hash" varchar(64) null,
      "entered_by" integer null references "app_user" ("id"),
      "created_at" timestamptz not null default now(),
      "voided_at" timestamptz null,
      "voided_by" integer null references "app_user" ("id"),
      "void_reason" varchar(500) null,
      check (("voided_at" is null) = ("void_reason" is null)));`);
    this.addSql(`create index "survey_answer_unit_index" on "survey_answer" ("campaign_id", "unit_id");`);
    this.addSql(`create index "survey_answer_address_index" on "survey_answer" ("address_hash", "created_at");`);
    // One answer per device, unit and day: the database keeps it so under any number of concurrent sends.
    this.addSql(`create unique index "survey_answer_device_day_unique" on "survey_answer"
      ("campaign_id", "unit_id", "device_hash", "answered_on") where "device_hash" is not null;`);
    this.addSql(`create table "survey_slip" (
      "campaign_id" integer not null,
      "unit_id" integer not null,
      "code" varchar(16) not null,
      "created_at" timestamptz not null default now(),
      "used_at" timestamptz null,
      "answer_id" bigint null references "survey_answer" ("id"),
      primary key ("campaign_id", "unit_id", "code"),
      foreign key ("campaign_id", "unit_id") references "survey_link" ("campaign_id", "unit_id") on delete cascade);`);
  }

  override down(): void {
    this.addSql(`drop table if exists "survey_slip";`);
    this.addSql(`drop table if exists "survey_answer";`);
    this.addSql(`drop table if exists "survey_link";`);
    this.addSql(`drop table if exists "survey_question";`);
    this.addSql(`drop table if exists "survey_group";`);
    this.addSql(`drop table if exists "survey_settings";`);
  }
}
