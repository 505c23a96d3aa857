import { Migration } from '@mikro-orm/migrations';

/**
 * A campaign's items are read through its self-assessments: these indexes carry what the council's overview, the
 * progress page, the step checks and the scoring loader read of a score and of its appraisal, so that a campaign's
 * items are found by index alone (an index-only scan where autovacuum has marked the pages all-visible) instead of
 * scanning every campaign's scores. A province's 170 units then cost their own items, whatever else the database holds.
 */
export class Migration20261202202606_covering_indexes extends Migration {
  override name = 'Migration20261202202606_covering_indexes';

  override up(): void {
    this.addSql(
      `create index "criterion_score_self_assessment_id_covering_index" on "criterion_score" ("self_assessment_id") include ("id", "criterion_id", "self_score", "not_applicable");`,
    );
    this.addSql(
      `create index "appraisal_criterion_score_id_covering_index" on "appraisal" ("criterion_score_id") include ("id", "state", "appraiser_id", "appraised_score");`,
    );
  }

  override down(): void {
    this.addSql(`drop index if exists "appraisal_criterion_score_id_covering_index";`);
    this.addSql(`drop index if exists "criterion_score_self_assessment_id_covering_index";`);
  }
}
