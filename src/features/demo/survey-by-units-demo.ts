import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * The demo's part of issue 23, item 5 (seed 001: each commune compiles its own survey figures before a date): the demo
 * campaign lets its units enter their survey figures until its self-assessment closes.
 */
export async function seedUnitsEnterSurvey(em: EntityManager, campaignId: number): Promise<void> {
  await em.execute(
    'update campaign set units_enter_survey = true, unit_survey_closes = self_assessment_closes where id = ?',
    [campaignId],
  );
}
