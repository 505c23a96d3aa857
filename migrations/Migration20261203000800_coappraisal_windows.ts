import { Migration } from '@mikro-orm/migrations';

/**
 * Co-appraisal and appraisal windows (issue 23, items 3 and 5). A criterion may have co-appraising agencies besides
 * its lead agency (phối hợp thẩm định; inherited by its subtree, as the lead agency is); their appraisers add opinions
 * (agree or disagree, a proposed score, a reason) and the lead decides. The secretariat may extend the appraisal
 * window for one agency or one unit of a campaign: decisions after the campaign's appraisal close are refused unless
 * such an extension covers them.
 */
export class Migration20261203000800_coappraisal_windows extends Migration {
  override name = 'Migration20261203000800_coappraisal_windows';

  override up(): void {
    this.addSql(`create table "criterion_co_agency" (
      "criterion_id" integer not null references "criterion" ("id") on delete cascade,
      "agency_id" integer not null references "agency" ("id"),
      primary key ("criterion_id", "agency_id"));`);
    this.addSql(`create table "appraisal_opinion" (
      "id" serial primary key,
      "appraisal_id" integer not null references "appraisal" ("id") on delete cascade,
      "agency_id" integer not null references "agency" ("id"),
      "author_id" integer not null references "app_user" ("id"),
      "stance" varchar(16) not null check ("stance" in ('agree', 'disagree')),
      "proposed_score" numeric(9,3) null,
      "reason" text not null check ("reason" <> ''),
      "created_at" timestamptz not null default now());`);
    this.addSql(`create index "appraisal_opinion_appraisal_id_index" on "appraisal_opinion" ("appraisal_id");`);
    this.addSql(`create table "appraisal_extension" (
      "id" serial primary key,
      "campaign_id" integer not null references "campaign" ("id") on delete cascade,
      "agency_id" integer null references "agency" ("id"),
      "unit_id" integer null references "unit" ("id"),
      "closes" date not null,
      "reason" text not null check ("reason" <> ''),
      "granted_by_id" integer not null references "app_user" ("id"),
      "granted_at" timestamptz not null default now(),
      check (("agency_id" is null) <> ("unit_id" is null)));`);
    this.addSql(`create index "appraisal_extension_campaign_id_index" on "appraisal_extension" ("campaign_id");`);
  }

  override down(): void {
    this.addSql(`drop table if exists "appraisal_extension";`);
    this.addSql(`drop table if exists "appraisal_opinion";`);
    this.addSql(`drop table if exists "criterion_co_agency";`);
  }
}
