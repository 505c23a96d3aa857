import { Migration } from '@mikro-orm/migrations';

/**
 * Notices: what the portal tells each signed-in person (a request to answer, a phase opened, a publication), shown
 * in their inbox and counted in the header. A notice is grouped while unread: a second event of the same group (40
 * requests on one unit) raises its count instead of adding a row, so the partial unique index names the group.
 */
export class Migration20261202200959_notices extends Migration {
  override name = 'Migration20261202200959_notices';

  override up(): void {
    this.addSql(`create table "notice" (
      "id" bigserial primary key,
      "recipient_id" integer not null references "app_user" ("id") on delete cascade,
      "kind" varchar(64) not null,
      "campaign_id" integer null references "campaign" ("id") on delete cascade,
      "group_key" varchar(255) not null,
      "params" jsonb not null default '{}',
      "count" integer not null default 1,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      "read_at" timestamptz null);`);
    this.addSql(
      `create unique index "notice_unread_group" on "notice" ("recipient_id", "group_key") where "read_at" is null;`,
    );
    this.addSql(`create index "notice_recipient_newest" on "notice" ("recipient_id", "updated_at" desc, "id" desc);`);
    this.addSql(`create index "notice_campaign_id_index" on "notice" ("campaign_id");`);
  }

  override down(): void {
    this.addSql(`drop table if exists "notice";`);
  }
}
