import { Migration } from '@mikro-orm/migrations';

/**
 * Reopening a submitted self-assessment (issue 23, item 6) and units' own survey figures (item 5).
 *
 * A reopening is the secretariat's decision with its reason; at that moment each criterion's answer is copied into
 * `reopening_score` (self score and its declaration, not applicable, explanation, the evidence files' SHA-256), so
 * that the resubmission can tell exactly which criteria the unit changed (`changed`, set then). At most one reopening
 * of a self-assessment is open (not resubmitted) at a time.
 *
 * The campaign may let units enter their own survey figures until a date (`unit_survey_closes`); after it, what the
 * secretariat enters stands.
 */
export class Migration20261203000300_reopening extends Migration {
  override name = 'Migration20261203000300_reopening';

  override up(): void {
    this.addSql(`create table "reopening" (
      "id" serial primary key,
      "self_assessment_id" integer not null references "self_assessment" ("id") on delete cascade,
      "reason" text not null,
      "reopened_by_id" integer not null references "app_user" ("id"),
      "reopened_at" timestamptz not null default now(),
      "phase" varchar(32) not null,
      "appraisals_made" integer not null,
      "resubmitted_at" timestamptz null,
      "resubmitted_by_id" integer null references "app_user" ("id"),
      "kept" integer null,
      "returned" integer null);`);
    this.addSql(`create index "reopening_self_assessment_id_index" on "reopening" ("self_assessment_id");`);
    this.addSql(
      `create unique index "reopening_open" on "reopening" ("self_assessment_id") where "resubmitted_at" is null;`,
    );
    this.addSql(`create table "reopening_score" (
      "reopening_id" integer not null references "reopening" ("id") on delete cascade,
      "criterion_score_id" integer not null references "criterion_score" ("id") on delete cascade,
      "self_score" numeric(9,3) null,
      "declared_level" varchar(255) null,
      "declared_achieved" integer null,
      "declared_total" integer null,
      "not_applicable" boolean not null,
      "explanation" text not null,
      "evidence" text[] not null,
      "changed" boolean null,
      primary key ("reopening_id", "criterion_score_id"));`);
    this.addSql(
      `create index "reopening_score_changed" on "reopening_score" ("criterion_score_id") where "changed";`,
    );
    this.addSql(`alter table "campaign" add column "units_enter_survey" boolean not null default false;`);
    this.addSql(`alter table "campaign" add column "unit_survey_closes" date null;`);
  }

  override down(): void {
    this.addSql(`alter table "campaign" drop column if exists "unit_survey_closes";`);
    this.addSql(`alter table "campaign" drop column if exists "units_enter_survey";`);
    this.addSql(`drop table if exists "reopening_score";`);
    this.addSql(`drop table if exists "reopening";`);
  }
}
