import { Migration } from '@mikro-orm/migrations';

/** The chair's approval on the campaign, and a publication's exact served bytes with their hashes. */
export class Migration20261122221332_publication_files extends Migration {
  override name = 'Migration20261122221332_publication_files';

  override up(): void {
    this.addSql(`alter table "campaign" add "approval_decision" varchar(255) null, add "approval_date" date null, add "approved_by_id" int null, add "approved_at" timestamptz null;`);
    this.addSql(`alter table "campaign" add constraint "campaign_approved_by_id_foreign" foreign key ("approved_by_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "publication" add "results_json" text not null, add "results_csv" text not null, add "results_xlsx" bytea not null, add "csv_sha256" varchar(64) not null, add "xlsx_sha256" varchar(64) not null;`);
  }

  override down(): void {
    this.addSql(`alter table "campaign" drop constraint "campaign_approved_by_id_foreign";`);
    this.addSql(`alter table "campaign" drop column "approval_decision", drop column "approval_date", drop column "approved_by_id", drop column "approved_at";`);
    this.addSql(`alter table "publication" drop column "results_json", drop column "results_csv", drop column "results_xlsx", drop column "csv_sha256", drop column "xlsx_sha256";`);
  }
}
