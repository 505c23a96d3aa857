import { Migration } from '@mikro-orm/migrations';

/**
 * The council as constituted (issue 23, item 4) and the unit's signed report (item 2).
 * - `council`: per campaign, the decision founding the council (Quyết định thành lập Hội đồng thẩm định), and the one
 *   founding its working group (Tổ công tác / Tổ thư ký giúp việc), when it has its own.
 * - `council_member`: a person recorded in the council (chair, vice-chair, member) or the working group (leader, member,
 *   secretary), with their agency and title. Being recorded is what gives the person the campaign's role
 *   (src/features/auth/sessions.ts reads these rows with the role assignments).
 * - `signed_report`: the unit's signed self-assessment report (a PDF, Báo cáo số … ngày …), kept in the evidence
 *   store by its SHA-256; every upload is a row (the latest is shown), so earlier files stay for history.
 */
export class Migration20261203000131_council_members extends Migration {
  override name = 'Migration20261203000131_council_members';

  override up(): void {
    this.addSql(`create table "council" (
      "campaign_id" integer primary key references "campaign" ("id") on delete cascade,
      "decision_number" varchar(100) not null,
      "decision_date" date not null,
      "group_decision_number" varchar(100) not null default '',
      "group_decision_date" date null,
      "updated_at" timestamptz not null default now());`);
    this.addSql(`create table "council_member" (
      "id" serial primary key,
      "campaign_id" integer not null references "campaign" ("id") on delete cascade,
      "body" varchar(16) not null,
      "position" varchar(16) not null,
      "user_id" integer not null references "app_user" ("id") on delete cascade,
      "agency_id" integer null references "agency" ("id") on delete set null,
      "title" varchar(255) not null default '',
      "created_at" timestamptz not null default now(),
      constraint "council_member_body_check" check ("body" in ('council', 'working-group')),
      constraint "council_member_position_check" check (
        ("body" = 'council' and "position" in ('chair', 'vice-chair', 'member'))
        or ("body" = 'working-group' and "position" in ('leader', 'member', 'secretary'))),
      constraint "council_member_once" unique ("campaign_id", "body", "user_id"));`);
    this.addSql(`create index "council_member_user_index" on "council_member" ("user_id");`);
    this.addSql(`create table "signed_report" (
      "id" serial primary key,
      "self_assessment_id" integer not null references "self_assessment" ("id") on delete cascade,
      "document_number" varchar(100) not null,
      "document_date" date not null,
      "sha256" char(64) not null,
      "name" varchar(255) not null,
      "media_type" varchar(100) not null,
      "size" bigint not null,
      "uploaded_by_id" integer null references "app_user" ("id") on delete set null,
      "uploaded_at" timestamptz not null default now());`);
    this.addSql(`create index "signed_report_self_assessment_index" on "signed_report" ("self_assessment_id", "id");`);
    this.addSql(`create index "signed_report_sha256_index" on "signed_report" ("sha256");`);
  }

  override down(): void {
    this.addSql(`drop table if exists "signed_report";`);
    this.addSql(`drop table if exists "council_member";`);
    this.addSql(`drop table if exists "council";`);
  }
}
