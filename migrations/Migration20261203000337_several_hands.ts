import { Migration } from '@mikro-orm/migrations';

/**
 * Several hands per criterion (issue 23, seed 003's "Các tiêu chí nhiều người thực hiện"): a unit's named bodies (HĐND,
 * UB MTTQ, Ban TTND, Trạm Y tế …) with a contact person; a criterion assigned to several people and bodies, each
 * assignment with an internal due date and the assignee's own note; the secretariat's mark that a unit, or one of its
 * bodies, cannot sign digitally, and the body an evidence file was sent for. The single assignments move into the new
 * table (a body typed by name becomes a body of that unit), then their two columns go.
 */
export class Migration20261203000337_several_hands extends Migration {
  override name = 'Migration20261203000337_several_hands';

  override up(): void {
    this.addSql(`alter table "unit" add column "cannot_sign_digitally" boolean not null default false;`);
    this.addSql(`create table "unit_body" (
      "id" serial primary key,
      "unit_id" integer not null references "unit" ("id") on delete cascade,
      "name" varchar(255) not null,
      "contact_id" integer null references "app_user" ("id") on delete set null,
      "cannot_sign_digitally" boolean not null default false,
      "created_at" timestamptz not null default now(),
      constraint "unit_body_unit_id_name_unique" unique ("unit_id", "name"));`);
    this.addSql(`create table "criterion_assignment" (
      "id" serial primary key,
      "criterion_score_id" integer not null references "criterion_score" ("id") on delete cascade,
      "user_id" integer null references "app_user" ("id") on delete cascade,
      "body_id" integer null references "unit_body" ("id") on delete cascade,
      "due_date" date null,
      "note" text not null default '',
      "note_updated_at" timestamptz null,
      "note_updated_by_id" integer null references "app_user" ("id") on delete set null,
      "assigned_at" timestamptz not null default now(),
      constraint "criterion_assignment_one_assignee" check (("user_id" is null) <> ("body_id" is null)),
      constraint "criterion_assignment_user_unique" unique ("criterion_score_id", "user_id"),
      constraint "criterion_assignment_body_unique" unique ("criterion_score_id", "body_id"));`);
    this.addSql(`create index "criterion_assignment_user_id_index" on "criterion_assignment" ("user_id");`);
    this.addSql(`create index "criterion_assignment_body_id_index" on "criterion_assignment" ("body_id");`);
    this.addSql(
      `alter table "evidence_file" add column "body_id" integer null references "unit_body" ("id") on delete set null;`,
    );
    // The single assignments kept: a body typed by name becomes a body of the unit (no contact yet).
    this.addSql(`insert into "unit_body" ("unit_id", "name")
      select distinct sa.unit_id, btrim(cs.assignee_body) from criterion_score cs join self_assessment sa on sa.id = cs.self_assessment_id
       where btrim(coalesce(cs.assignee_body, '')) <> ''
      on conflict do nothing;`);
    this.addSql(`insert into "criterion_assignment" ("criterion_score_id", "user_id")
      select cs.id, cs.assignee_id from criterion_score cs where cs.assignee_id is not null;`);
    this.addSql(`insert into "criterion_assignment" ("criterion_score_id", "body_id")
      select cs.id, b.id from criterion_score cs join self_assessment sa on sa.id = cs.self_assessment_id
        join unit_body b on b.unit_id = sa.unit_id and b.name = btrim(cs.assignee_body)
       where btrim(coalesce(cs.assignee_body, '')) <> '';`);
    this.addSql(`alter table "criterion_score" drop constraint "criterion_score_assignee_id_foreign";`);
    this.addSql(`alter table "criterion_score" drop column "assignee_id", drop column "assignee_body";`);
  }

  override down(): void {
    this.addSql(
      `alter table "criterion_score" add column "assignee_id" int null references "app_user" ("id") on delete set null, add column "assignee_body" varchar(255) null;`,
    );
    this.addSql(
      `alter table "criterion_score" rename constraint "criterion_score_assignee_id_fkey" to "criterion_score_assignee_id_foreign";`,
    );
    // Back to one person and one body per criterion: the first of each.
    this.addSql(`update "criterion_score" cs set
        "assignee_id" = (select min(ca.user_id) from criterion_assignment ca where ca.criterion_score_id = cs.id),
        "assignee_body" = (select min(b.name) from criterion_assignment ca join unit_body b on b.id = ca.body_id where ca.criterion_score_id = cs.id);`);
    this.addSql(`alter table "evidence_file" drop column "body_id";`);
    this.addSql(`drop table if exists "criterion_assignment";`);
    this.addSql(`drop table if exists "unit_body";`);
    this.addSql(`alter table "unit" drop column "cannot_sign_digitally";`);
  }
}
