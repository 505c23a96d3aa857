import { Migration } from '@mikro-orm/migrations';

export class Migration20261122211609_initial extends Migration {

  override name = 'Migration20261122211609_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "agency" ("id" serial primary key, "code" varchar(64) not null, "name" varchar(255) not null, "active" boolean not null default true, "created_at" timestamptz not null);`);
    this.addSql(`alter table "agency" add constraint "agency_code_unique" unique ("code");`);

    this.addSql(`create table "criteria_set" ("id" serial primary key, "name" varchar(255) not null, "year" int not null, "decision" varchar(255) not null default '', "locked" boolean not null default false, "created_at" timestamptz not null);`);

    this.addSql(`create table "campaign" ("id" serial primary key, "code" varchar(64) not null, "name" varchar(255) not null, "year" int not null, "organizer" varchar(255) not null, "decision" varchar(255) not null default '', "criteria_set_id" int not null, "composition" jsonb not null, "bands" jsonb not null, "precision" smallint not null default 2, "rounding" text not null default 'half-up', "self_assessment_opens" date null, "self_assessment_closes" date null, "appraisal_opens" date null, "appraisal_closes" date null, "explanation_days" smallint not null default 3, "publish_by" date null, "officer_may_submit" boolean not null default false, "practice" boolean not null default false, "state" text not null default 'draft', "created_at" timestamptz not null);`);
    this.addSql(`alter table "campaign" add constraint "campaign_code_unique" unique ("code");`);

    this.addSql(`create table "criterion" ("id" serial primary key, "criteria_set_id" int not null, "parent_id" int null, "code" varchar(32) not null, "title" text not null, "guidance" text not null default '', "kind" text not null default 'self', "min_score" numeric(9,3) not null default '0', "max_score" numeric(9,3) not null, "scoring" text null, "evidence_required" boolean not null default false, "agency_id" int null, "position" int not null default 0);`);
    this.addSql(`alter table "criterion" add constraint "criterion_criteria_set_id_code_unique" unique ("criteria_set_id", "code");`);

    this.addSql(`create table "unit" ("id" serial primary key, "code" varchar(64) not null, "name" varchar(255) not null, "kind" varchar(64) not null default '', "parent_id" int null, "active" boolean not null default true, "created_at" timestamptz not null);`);
    this.addSql(`alter table "unit" add constraint "unit_code_unique" unique ("code");`);

    this.addSql(`create table "survey_result" ("id" serial primary key, "campaign_id" int not null, "unit_id" int not null, "respondents" int not null, "satisfied_answers" int not null, "questions_per_respondent" int not null default 8);`);
    this.addSql(`alter table "survey_result" add constraint "survey_result_campaign_id_unit_id_unique" unique ("campaign_id", "unit_id");`);

    this.addSql(`create table "exemption" ("id" serial primary key, "campaign_id" int not null, "unit_id" int not null, "criterion_id" int not null, "reason" text not null default '');`);
    this.addSql(`alter table "exemption" add constraint "exemption_campaign_id_unit_id_criterion_id_unique" unique ("campaign_id", "unit_id", "criterion_id");`);

    this.addSql(`create table "component_points" ("id" serial primary key, "campaign_id" int not null, "unit_id" int not null, "key" varchar(32) not null, "points" numeric(9,3) not null);`);
    this.addSql(`alter table "component_points" add constraint "component_points_campaign_id_unit_id_key_unique" unique ("campaign_id", "unit_id", "key");`);

    this.addSql(`create table "campaign_unit" ("id" serial primary key, "campaign_id" int not null, "unit_id" int not null, "deadline_extended_to" date null, "extension_reason" text null);`);
    this.addSql(`alter table "campaign_unit" add constraint "campaign_unit_campaign_id_unit_id_unique" unique ("campaign_id", "unit_id");`);

    this.addSql(`create table "app_user" ("id" serial primary key, "username" varchar(64) not null, "full_name" varchar(255) not null, "password_hash" varchar(255) not null, "active" boolean not null default true, "language" text not null default 'vi', "failed_sign_ins" int not null default 0, "locked_until" timestamptz null, "created_at" timestamptz not null);`);
    this.addSql(`alter table "app_user" add constraint "app_user_username_unique" unique ("username");`);

    this.addSql(`create table "user_session" ("id" varchar(64) not null, "user_id" int not null, "created_at" timestamptz not null, "last_seen_at" timestamptz not null, "expires_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "user_session_user_id_index" on "user_session" ("user_id");`);

    this.addSql(`create table "self_assessment" ("id" serial primary key, "campaign_id" int not null, "unit_id" int not null, "state" text not null default 'draft', "submitted_at" timestamptz null, "submitted_by_id" int null, "reopen_reason" text null);`);
    this.addSql(`alter table "self_assessment" add constraint "self_assessment_campaign_id_unit_id_unique" unique ("campaign_id", "unit_id");`);

    this.addSql(`create table "role_assignment" ("id" serial primary key, "user_id" int not null, "role" text not null, "unit_id" int null, "agency_id" int null, "created_at" timestamptz not null);`);

    this.addSql(`create table "publication" ("id" serial primary key, "campaign_id" int not null, "version" int not null, "decision_number" varchar(255) not null default '', "decision_date" date null, "approved_by_id" int null, "published_at" timestamptz not null, "correction_reason" text null, "imported" boolean not null default false, "results" jsonb not null, "sha256" varchar(64) not null, "previous_sha256" varchar(64) null);`);
    this.addSql(`alter table "publication" add constraint "publication_campaign_id_version_unique" unique ("campaign_id", "version");`);

    this.addSql(`create table "published_result" ("id" serial primary key, "publication_id" int not null, "unit_code" varchar(64) not null, "unit_name" varchar(255) not null, "rank" int not null, "index" numeric(9,3) not null, "band" varchar(64) not null, "points" numeric(9,3) null, "applicable_max" numeric(9,3) null, "components" jsonb not null, "detail" jsonb not null);`);
    this.addSql(`create index "published_result_unit_code_index" on "published_result" ("unit_code");`);
    this.addSql(`alter table "published_result" add constraint "published_result_publication_id_unit_code_unique" unique ("publication_id", "unit_code");`);

    this.addSql(`create table "criterion_score" ("id" serial primary key, "self_assessment_id" int not null, "criterion_id" int not null, "self_score" numeric(9,3) null, "declared_level" varchar(255) null, "declared_achieved" int null, "declared_total" int null, "not_applicable" boolean not null default false, "explanation" text not null default '', "assignee_id" int null, "assignee_body" varchar(255) null, "updated_by_id" int null, "updated_at" timestamptz null, "version" int not null default 1);`);
    this.addSql(`alter table "criterion_score" add constraint "criterion_score_self_assessment_id_criterion_id_unique" unique ("self_assessment_id", "criterion_id");`);

    this.addSql(`create table "audit_event" ("id" bigserial primary key, "at" timestamptz not null, "actor_id" int null, "action" varchar(64) not null, "entity_type" varchar(64) not null, "entity_id" varchar(64) not null, "before" jsonb null, "after" jsonb null, "reason" text null);`);
    this.addSql(`create index "audit_event_entity_type_entity_id_index" on "audit_event" ("entity_type", "entity_id");`);

    this.addSql(`create table "appraisal" ("id" serial primary key, "criterion_score_id" int not null, "appraiser_id" int null, "appraised_score" numeric(9,3) null, "declared_level" varchar(255) null, "declared_achieved" int null, "declared_total" int null, "reason" text not null default '', "state" text not null default 'todo', "on_site_check" text null, "updated_at" timestamptz null, "version" int not null default 1);`);
    this.addSql(`alter table "appraisal" add constraint "appraisal_criterion_score_id_unique" unique ("criterion_score_id");`);

    this.addSql(`create table "explanation_request" ("id" serial primary key, "appraisal_id" int not null, "message" text not null, "due_date" date not null, "requested_by_id" int not null, "requested_at" timestamptz not null, "answer" text null, "answered_at" timestamptz null, "answered_by_id" int null);`);
    this.addSql(`create index "explanation_request_appraisal_id_index" on "explanation_request" ("appraisal_id");`);

    this.addSql(`create table "evidence_file" ("id" serial primary key, "criterion_score_id" int not null, "explanation_request_id" int null, "sha256" varchar(64) not null, "size" bigint not null, "media_type" varchar(128) not null, "original_name" varchar(255) not null, "document_number" varchar(128) not null default '', "document_date" date null, "issuer" varchar(255) not null default '', "signed" boolean not null default false, "signer" varchar(255) null, "signature_covers_whole" boolean null, "looks_scanned" boolean not null default false, "uploaded_by_id" int not null, "uploaded_at" timestamptz not null, "removed_at" timestamptz null);`);
    this.addSql(`create index "evidence_file_criterion_score_id_index" on "evidence_file" ("criterion_score_id");`);
    this.addSql(`create index "evidence_file_sha256_index" on "evidence_file" ("sha256");`);

    this.addSql(`alter table "campaign" add constraint "campaign_criteria_set_id_foreign" foreign key ("criteria_set_id") references "criteria_set" ("id");`);
    this.addSql(`alter table "campaign" add constraint "campaign_rounding_check" check ("rounding" in ('half-up', 'down'));`);
    this.addSql(`alter table "campaign" add constraint "campaign_state_check" check ("state" in ('draft', 'self-assessment', 'appraisal', 'council-review', 'approved', 'published'));`);

    this.addSql(`alter table "criterion" add constraint "criterion_criteria_set_id_foreign" foreign key ("criteria_set_id") references "criteria_set" ("id") on delete cascade;`);
    this.addSql(`alter table "criterion" add constraint "criterion_parent_id_foreign" foreign key ("parent_id") references "criterion" ("id") on delete cascade;`);
    this.addSql(`alter table "criterion" add constraint "criterion_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on delete set null;`);
    this.addSql(`alter table "criterion" add constraint "criterion_kind_check" check ("kind" in ('self', 'survey', 'appraiser'));`);

    this.addSql(`alter table "unit" add constraint "unit_parent_id_foreign" foreign key ("parent_id") references "unit" ("id") on delete set null;`);

    this.addSql(`alter table "survey_result" add constraint "survey_result_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on delete cascade;`);
    this.addSql(`alter table "survey_result" add constraint "survey_result_unit_id_foreign" foreign key ("unit_id") references "unit" ("id");`);

    this.addSql(`alter table "exemption" add constraint "exemption_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on delete cascade;`);
    this.addSql(`alter table "exemption" add constraint "exemption_unit_id_foreign" foreign key ("unit_id") references "unit" ("id");`);
    this.addSql(`alter table "exemption" add constraint "exemption_criterion_id_foreign" foreign key ("criterion_id") references "criterion" ("id") on delete cascade;`);

    this.addSql(`alter table "component_points" add constraint "component_points_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on delete cascade;`);
    this.addSql(`alter table "component_points" add constraint "component_points_unit_id_foreign" foreign key ("unit_id") references "unit" ("id");`);

    this.addSql(`alter table "campaign_unit" add constraint "campaign_unit_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on delete cascade;`);
    this.addSql(`alter table "campaign_unit" add constraint "campaign_unit_unit_id_foreign" foreign key ("unit_id") references "unit" ("id");`);

    this.addSql(`alter table "app_user" add constraint "app_user_language_check" check ("language" in ('vi', 'en'));`);

    this.addSql(`alter table "user_session" add constraint "user_session_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade;`);

    this.addSql(`alter table "self_assessment" add constraint "self_assessment_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on delete cascade;`);
    this.addSql(`alter table "self_assessment" add constraint "self_assessment_unit_id_foreign" foreign key ("unit_id") references "unit" ("id");`);
    this.addSql(`alter table "self_assessment" add constraint "self_assessment_submitted_by_id_foreign" foreign key ("submitted_by_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "self_assessment" add constraint "self_assessment_state_check" check ("state" in ('draft', 'submitted'));`);

    this.addSql(`alter table "role_assignment" add constraint "role_assignment_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade;`);
    this.addSql(`alter table "role_assignment" add constraint "role_assignment_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on delete set null;`);
    this.addSql(`alter table "role_assignment" add constraint "role_assignment_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on delete set null;`);
    this.addSql(`alter table "role_assignment" add constraint "role_assignment_role_check" check ("role" in ('admin', 'chair', 'appraiser', 'officer', 'head', 'contributor'));`);

    this.addSql(`alter table "publication" add constraint "publication_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id");`);
    this.addSql(`alter table "publication" add constraint "publication_approved_by_id_foreign" foreign key ("approved_by_id") references "app_user" ("id") on delete set null;`);

    this.addSql(`alter table "published_result" add constraint "published_result_publication_id_foreign" foreign key ("publication_id") references "publication" ("id");`);

    this.addSql(`alter table "criterion_score" add constraint "criterion_score_self_assessment_id_foreign" foreign key ("self_assessment_id") references "self_assessment" ("id") on delete cascade;`);
    this.addSql(`alter table "criterion_score" add constraint "criterion_score_criterion_id_foreign" foreign key ("criterion_id") references "criterion" ("id") on delete cascade;`);
    this.addSql(`alter table "criterion_score" add constraint "criterion_score_assignee_id_foreign" foreign key ("assignee_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "criterion_score" add constraint "criterion_score_updated_by_id_foreign" foreign key ("updated_by_id") references "app_user" ("id") on delete set null;`);

    this.addSql(`alter table "audit_event" add constraint "audit_event_actor_id_foreign" foreign key ("actor_id") references "app_user" ("id") on delete set null;`);

    this.addSql(`alter table "appraisal" add constraint "appraisal_criterion_score_id_foreign" foreign key ("criterion_score_id") references "criterion_score" ("id") on delete cascade;`);
    this.addSql(`alter table "appraisal" add constraint "appraisal_appraiser_id_foreign" foreign key ("appraiser_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "appraisal" add constraint "appraisal_state_check" check ("state" in ('todo', 'accepted', 'adjusted', 'waiting', 'answered'));`);

    this.addSql(`alter table "explanation_request" add constraint "explanation_request_appraisal_id_foreign" foreign key ("appraisal_id") references "appraisal" ("id") on delete cascade;`);
    this.addSql(`alter table "explanation_request" add constraint "explanation_request_requested_by_id_foreign" foreign key ("requested_by_id") references "app_user" ("id");`);
    this.addSql(`alter table "explanation_request" add constraint "explanation_request_answered_by_id_foreign" foreign key ("answered_by_id") references "app_user" ("id") on delete set null;`);

    this.addSql(`alter table "evidence_file" add constraint "evidence_file_criterion_score_id_foreign" foreign key ("criterion_score_id") references "criterion_score" ("id") on delete cascade;`);
    this.addSql(`alter table "evidence_file" add constraint "evidence_file_explanation_request_id_foreign" foreign key ("explanation_request_id") references "explanation_request" ("id") on delete set null;`);
    this.addSql(`alter table "evidence_file" add constraint "evidence_file_uploaded_by_id_foreign" foreign key ("uploaded_by_id") references "app_user" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "criterion" drop constraint "criterion_agency_id_foreign";`);
    this.addSql(`alter table "role_assignment" drop constraint "role_assignment_agency_id_foreign";`);
    this.addSql(`alter table "campaign" drop constraint "campaign_criteria_set_id_foreign";`);
    this.addSql(`alter table "criterion" drop constraint "criterion_criteria_set_id_foreign";`);
    this.addSql(`alter table "survey_result" drop constraint "survey_result_campaign_id_foreign";`);
    this.addSql(`alter table "exemption" drop constraint "exemption_campaign_id_foreign";`);
    this.addSql(`alter table "component_points" drop constraint "component_points_campaign_id_foreign";`);
    this.addSql(`alter table "campaign_unit" drop constraint "campaign_unit_campaign_id_foreign";`);
    this.addSql(`alter table "self_assessment" drop constraint "self_assessment_campaign_id_foreign";`);
    this.addSql(`alter table "publication" drop constraint "publication_campaign_id_foreign";`);
    this.addSql(`alter table "criterion" drop constraint "criterion_parent_id_foreign";`);
    this.addSql(`alter table "exemption" drop constraint "exemption_criterion_id_foreign";`);
    this.addSql(`alter table "criterion_score" drop constraint "criterion_score_criterion_id_foreign";`);
    this.addSql(`alter table "unit" drop constraint "unit_parent_id_foreign";`);
    this.addSql(`alter table "survey_result" drop constraint "survey_result_unit_id_foreign";`);
    this.addSql(`alter table "exemption" drop constraint "exemption_unit_id_foreign";`);
    this.addSql(`alter table "component_points" drop constraint "component_points_unit_id_foreign";`);
    this.addSql(`alter table "campaign_unit" drop constraint "campaign_unit_unit_id_foreign";`);
    this.addSql(`alter table "self_assessment" drop constraint "self_assessment_unit_id_foreign";`);
    this.addSql(`alter table "role_assignment" drop constraint "role_assignment_unit_id_foreign";`);
    this.addSql(`alter table "user_session" drop constraint "user_session_user_id_foreign";`);
    this.addSql(`alter table "self_assessment" drop constraint "self_assessment_submitted_by_id_foreign";`);
    this.addSql(`alter table "role_assignment" drop constraint "role_assignment_user_id_foreign";`);
    this.addSql(`alter table "publication" drop constraint "publication_approved_by_id_foreign";`);
    this.addSql(`alter table "criterion_score" drop constraint "criterion_score_assignee_id_foreign";`);
    this.addSql(`alter table "criterion_score" drop constraint "criterion_score_updated_by_id_foreign";`);
    this.addSql(`alter table "audit_event" drop constraint "audit_event_actor_id_foreign";`);
    this.addSql(`alter table "appraisal" drop constraint "appraisal_appraiser_id_foreign";`);
    this.addSql(`alter table "explanation_request" drop constraint "explanation_request_requested_by_id_foreign";`);
    this.addSql(`alter table "explanation_request" drop constraint "explanation_request_answered_by_id_foreign";`);
    this.addSql(`alter table "evidence_file" drop constraint "evidence_file_uploaded_by_id_foreign";`);
    this.addSql(`alter table "criterion_score" drop constraint "criterion_score_self_assessment_id_foreign";`);
    this.addSql(`alter table "published_result" drop constraint "published_result_publication_id_foreign";`);
    this.addSql(`alter table "appraisal" drop constraint "appraisal_criterion_score_id_foreign";`);
    this.addSql(`alter table "evidence_file" drop constraint "evidence_file_criterion_score_id_foreign";`);
    this.addSql(`alter table "explanation_request" drop constraint "explanation_request_appraisal_id_foreign";`);
    this.addSql(`alter table "evidence_file" drop constraint "evidence_file_explanation_request_id_foreign";`);

    this.addSql(`drop table if exists "agency" cascade;`);
    this.addSql(`drop table if exists "criteria_set" cascade;`);
    this.addSql(`drop table if exists "campaign" cascade;`);
    this.addSql(`drop table if exists "criterion" cascade;`);
    this.addSql(`drop table if exists "unit" cascade;`);
    this.addSql(`drop table if exists "survey_result" cascade;`);
    this.addSql(`drop table if exists "exemption" cascade;`);
    this.addSql(`drop table if exists "component_points" cascade;`);
    this.addSql(`drop table if exists "campaign_unit" cascade;`);
    this.addSql(`drop table if exists "app_user" cascade;`);
    this.addSql(`drop table if exists "user_session" cascade;`);
    this.addSql(`drop table if exists "self_assessment" cascade;`);
    this.addSql(`drop table if exists "role_assignment" cascade;`);
    this.addSql(`drop table if exists "publication" cascade;`);
    this.addSql(`drop table if exists "published_result" cascade;`);
    this.addSql(`drop table if exists "criterion_score" cascade;`);
    this.addSql(`drop table if exists "audit_event" cascade;`);
    this.addSql(`drop table if exists "appraisal" cascade;`);
    this.addSql(`drop table if exists "explanation_request" cascade;`);
    this.addSql(`drop table if exists "evidence_file" cascade;`);
  }

}
