import { Migration } from '@mikro-orm/migrations';

/** Moving a subtree or swapping siblings passes codes through each other within one transaction. */
export class Migration20261122212802_criterion_code_deferrable extends Migration {
  override name = 'Migration20261122212802_criterion_code_deferrable';

  override up(): void {
    this.addSql(`alter table "criterion" drop constraint "criterion_criteria_set_id_code_unique";`);
    this.addSql(`alter table "criterion" add constraint "criterion_criteria_set_id_code_unique" unique ("criteria_set_id", "code") deferrable initially immediate;`);
  }

  override down(): void {
    this.addSql(`alter table "criterion" drop constraint "criterion_criteria_set_id_code_unique";`);
    this.addSql(`alter table "criterion" add constraint "criterion_criteria_set_id_code_unique" unique ("criteria_set_id", "code");`);
  }
}
