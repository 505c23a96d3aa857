import { Migration } from '@mikro-orm/migrations';

/**
 * The campaign's emulation rules (thi đua, khen thưởng): per band, the proposal that follows for a unit ranked in it
 * ("Xuất sắc": "Đề nghị Chủ tịch UBND tỉnh tặng Bằng khen"), the secretariat's own words.
 */
export class Migration20261202212400_emulation_rules extends Migration {
  override name = 'Migration20261202212400_emulation_rules';

  override up(): void {
    this.addSql(`alter table "campaign" add column "emulation_rules" jsonb not null default '{}';`);
  }

  override down(): void {
    this.addSql(`alter table "campaign" drop column "emulation_rules";`);
  }
}
