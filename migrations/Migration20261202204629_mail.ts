import { Migration } from '@mikro-orm/migrations';

/**
 * E-mail of notices: each person's address and how they want mail (at once, a daily digest, none); which notices were
 * handed to the mail; and the deliveries, one row per (recipient, batch of notices) made in one statement by the
 * sweep, sent by whichever app instance claims the row (`for update skip locked`), retried with back-off.
 */
export class Migration20261202204629_mail extends Migration {
  override name = 'Migration20261202204629_mail';

  override up(): void {
    this.addSql(`alter table "app_user" add column "email" varchar(254) null,
      add column "mail_mode" varchar(16) not null default 'none';`);
    this.addSql(
      `alter table "app_user" add constraint "app_user_mail_mode_check" check ("mail_mode" in ('immediate', 'digest', 'none'));`,
    );
    this.addSql(`alter table "notice" add column "mailed_at" timestamptz null;`);
    this.addSql(
      `create index "notice_to_mail" on "notice" ("recipient_id", "created_at") where "read_at" is null and "mailed_at" is null;`,
    );
    this.addSql(`create table "mail_delivery" (
      "id" bigserial primary key,
      "recipient_id" integer not null references "app_user" ("id") on delete cascade,
      "kind" varchar(16) not null check ("kind" in ('immediate', 'digest')),
      "notice_ids" bigint[] not null,
      "created_at" timestamptz not null default now(),
      "attempts" integer not null default 0,
      "next_attempt_at" timestamptz not null default now(),
      "last_error" text null,
      "sent_at" timestamptz null,
      "failed_at" timestamptz null);`);
    this.addSql(
      `create index "mail_delivery_due" on "mail_delivery" ("next_attempt_at", "id") where "sent_at" is null and "failed_at" is null;`,
    );
    this.addSql(`create index "mail_delivery_recipient_id_index" on "mail_delivery" ("recipient_id");`);
  }

  override down(): void {
    this.addSql(`drop table if exists "mail_delivery";`);
    this.addSql(`drop index if exists "notice_to_mail";`);
    this.addSql(`alter table "notice" drop column if exists "mailed_at";`);
    this.addSql(`alter table "app_user" drop constraint if exists "app_user_mail_mode_check";`);
    this.addSql(`alter table "app_user" drop column if exists "email", drop column if exists "mail_mode";`);
  }
}
