import { Migration } from '@mikro-orm/migrations';

/** Failed sign-ins by address, for a rate limit that holds across restarts and across several app instances. */
export class Migration20261122223500_sign_in_attempts extends Migration {
  override name = 'Migration20261122223500_sign_in_attempts';

  override up(): void {
    this.addSql(`create table "sign_in_failure" ("id" bigserial primary key, "address" varchar(64) not null, "at" timestamptz not null default now());`);
    this.addSql(`create index "sign_in_failure_address_at_index" on "sign_in_failure" ("address", "at");`);
  }

  override down(): void {
    this.addSql(`drop table if exists "sign_in_failure";`);
  }
}
