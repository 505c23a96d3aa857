import { Migration } from '@mikro-orm/migrations';

/**
 * Accounts for a real installation: a temporary password must be changed at first sign-in; a one-time address sets up
 * the first secretariat account; sign-in failures are counted per (address, account), per address and per account,
 * each row updated by one atomic statement, instead of a lock on the account that anyone could trigger.
 */
export class Migration20261202142629_accounts extends Migration {
  override name = 'Migration20261202142629_accounts';

  override up(): void {
    this.addSql(`alter table "app_user" add column "must_change_password" boolean not null default false;`);
    this.addSql(`alter table "app_user" drop column "failed_sign_ins", drop column "locked_until";`);
    this.addSql(`drop table if exists "sign_in_failure";`);
    this.addSql(`create table "sign_in_throttle" (
      "kind" varchar(16) not null check ("kind" in ('pair', 'address', 'account')),
      "key" varchar(255) not null,
      "failures" integer not null,
      "last_at" timestamptz not null default now(),
      primary key ("kind", "key"));`);
    this.addSql(`create index "sign_in_throttle_last_at_index" on "sign_in_throttle" ("last_at");`);
    this.addSql(`create table "setup_token" (
      "id" serial primary key,
      "token_hash" char(64) not null unique,
      "created_at" timestamptz not null default now(),
      "expires_at" timestamptz not null,
      "used_at" timestamptz null);`);
  }

  override down(): void {
    this.addSql(`drop table if exists "setup_token";`);
    this.addSql(`drop table if exists "sign_in_throttle";`);
    this.addSql(`create table "sign_in_failure" ("id" bigserial primary key, "address" varchar(64) not null, "at" timestamptz not null default now());`);
    this.addSql(`create index "sign_in_failure_address_at_index" on "sign_in_failure" ("address", "at");`);
    this.addSql(`alter table "app_user" add column "failed_sign_ins" integer not null default 0, add column "locked_until" timestamptz null;`);
    this.addSql(`alter table "app_user" drop column "must_change_password";`);
  }
}
