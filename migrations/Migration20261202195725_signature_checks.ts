import { Migration } from '@mikro-orm/migrations';

/**
 * PDF signatures verified (issue 19): the facts read from a file's signatures, stored once per distinct content (its
 * SHA-256), and the certificates the secretariat trusts (none by default). The facts keep the certificates and CRLs
 * each signature carries, so that trust is judged against the current list whenever a result is shown.
 */
export class Migration20261202195725_signature_checks extends Migration {
  override name = 'Migration20261202195725_signature_checks';

  override up(): void {
    this.addSql(`create table "evidence_signature_check" (
      "sha256" varchar(64) primary key,
      "signatures" jsonb not null,
      "checked_at" timestamptz not null default now(),
      "checked_by_id" integer null references "app_user" ("id"));`);
    this.addSql(`create table "trust_anchor" (
      "id" serial primary key,
      "sha256" varchar(64) not null unique,
      "der" bytea not null,
      "subject" varchar(1000) not null,
      "issuer" varchar(1000) not null,
      "valid_from" timestamptz not null,
      "valid_to" timestamptz not null,
      "ca" boolean not null,
      "added_by_id" integer not null references "app_user" ("id"),
      "added_at" timestamptz not null default now());`);
  }

  override down(): void {
    this.addSql(`drop table if exists "trust_anchor";`);
    this.addSql(`drop table if exists "evidence_signature_check";`);
  }
}
