import { Migration } from '@mikro-orm/migrations';

/**
 * Resumable evidence uploads (the tus protocol): one row per upload under way, belonging to its person and criterion,
 * with the length declared at creation, the typed fields sent with it and when it expires. The bytes received so far
 * are a file of their own (DATA_DIR/evidence/uploads/<id>); its size is the upload's offset. The row goes once the file
 * is whole and has been through the same checks as a plain upload, or when it expires.
 */
export class Migration20261203000207_evidence_uploads extends Migration {
  override name = 'Migration20261203000207_evidence_uploads';

  override up(): void {
    this.addSql(`create table "evidence_upload" (
      "id" uuid primary key,
      "user_id" integer not null references "app_user" ("id") on delete cascade,
      "criterion_score_id" integer not null references "criterion_score" ("id") on delete cascade,
      "length" bigint not null check ("length" > 0),
      "file_name" varchar(255) not null,
      "document_number" varchar(128) not null default '',
      "document_date" date null,
      "issuer" varchar(255) not null default '',
      "created_at" timestamptz not null default now(),
      "expires_at" timestamptz not null);`);
    this.addSql(`create index "evidence_upload_user_id_index" on "evidence_upload" ("user_id");`);
    this.addSql(`create index "evidence_upload_expires_at_index" on "evidence_upload" ("expires_at");`);
  }

  override down(): void {
    this.addSql(`drop table if exists "evidence_upload";`);
  }
}
