import { Migration } from '@mikro-orm/migrations';

/**
 * Reminders before a phase closes: the days before the closing date at which the portal reminds (per campaign, e.g.
 * "3,1"), and a row per (campaign, phase, days before) once the reminder is written, so that it is written once
 * whatever the number of app instances and restarts (its primary key).
 */
export class Migration20261202205538_reminders extends Migration {
  override name = 'Migration20261202205538_reminders';

  override up(): void {
    this.addSql(`alter table "campaign" add column "reminder_days" varchar(50) not null default '3,1';`);
    this.addSql(
      `alter table "campaign" add constraint "campaign_reminder_days_check" check ("reminder_days" ~ '^([0-9]{1,2}(,[0-9]{1,2})*)?$');`,
    );
    this.addSql(`create table "reminder_run" (
      "campaign_id" integer not null references "campaign" ("id") on delete cascade,
      "phase" varchar(32) not null,
      "days_before" integer not null,
      "ran_at" timestamptz not null default now(),
      primary key ("campaign_id", "phase", "days_before"));`);
  }

  override down(): void {
    this.addSql(`drop table if exists "reminder_run";`);
    this.addSql(`alter table "campaign" drop constraint if exists "campaign_reminder_days_check";`);
    this.addSql(`alter table "campaign" drop column if exists "reminder_days";`);
  }
}
