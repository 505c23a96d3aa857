import { Migration } from '@mikro-orm/migrations';

/**
 * "Not submitted is a state, not a score": a unit of a campaign run on the portal that never submitted its
 * self-assessment is published without a rank, index or band, with its state instead (docs/open-data.md).
 */
export class Migration20261202170512_not_submitted extends Migration {
  override name = 'Migration20261202170512_not_submitted';

  override up(): void {
    this.addSql(`alter table "published_result" alter column "rank" drop not null, alter column "index" drop not null, alter column "band" drop not null;`);
    this.addSql(`alter table "published_result" add "status" varchar(32) null;`);
  }

  override down(): void {
    this.addSql(`alter table "published_result" drop column "status";`);
    this.addSql(`alter table "published_result" alter column "rank" set not null, alter column "index" set not null, alter column "band" set not null;`);
  }
}
