// Units' own survey figures (issue 23, item 5, seed 001: each commune compiles its survey figures before a date). The
// campaign may let units enter them until a closing date: until then the unit's officer (or head) enters its own row,
// with the same checks as the secretariat's form (features/survey.ts); after it the unit reads them, and whatever the
// secretariat enters stands. Both are audited.
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../db/audit.ts';
import { parseCalendarDate } from '../domain/dates.ts';
import type { SurveyTally } from '../domain/scoring.ts';
import type { MessageKey } from '../i18n/catalog.ts';
import type { Actor } from './criteria-sets.ts';
import { invalid, ok, refused, type Outcome } from './outcome.ts';
import type { UnitContext } from './self-assessment/unit-access.ts';
import {
  checkSurveyInput,
  componentFor,
  loadSurvey,
  openSurvey,
  store,
  surveyFieldKey,
  type SurveyInput,
} from './survey.ts';

export interface UnitSurveySetting {
  unitsEnter: boolean;
  /** The last day units may enter their figures (yyyy-mm-dd), or null. */
  closes: string | null;
}

export async function unitSurveySetting(em: EntityManager, campaignId: number): Promise<UnitSurveySetting> {
  const [row] = await em.execute<{ units_enter_survey: boolean; closes: string | null }[]>(
    `select units_enter_survey, to_char(unit_survey_closes, 'YYYY-MM-DD') as closes from campaign where id = ?`,
    [campaignId],
  );
  return { unitsEnter: row?.units_enter_survey === true, closes: row?.closes ?? null };
}

/**
 * The secretariat lets the campaign's units enter their own survey figures until `closes` (dd/mm/yyyy as typed), or
 * stops it. A date is required to let them; refused once the campaign is approved or published.
 */
export async function setUnitSurveySetting(
  em: EntityManager,
  actor: Actor,
  campaignCode: string,
  input: { unitsEnter: boolean; closes: string },
): Promise<Outcome<UnitSurveySetting>> {
  const typed = input.closes.trim();
  const closes = typed ? parseCalendarDate(typed) : null;
  if (typed && !closes) return invalid({ unitSurveyCloses: 'reopen.survey.error.date' });
  if (input.unitsEnter && !closes) return invalid({ unitSurveyCloses: 'reopen.survey.error.dateNeeded' });
  return em.transactional(async (tx) => {
    const open = await openSurvey(tx, campaignCode);
    if ('refused' in open) return invalid({ _form: open.refused });
    const before = await unitSurveySetting(tx, open.campaign.id);
    const after = { unitsEnter: input.unitsEnter, closes: input.unitsEnter ? closes : before.closes };
    await tx.execute('update campaign set units_enter_survey = ?, unit_survey_closes = ? where id = ?', [
      after.unitsEnter,
      after.closes,
      open.campaign.id,
    ]);
    audit(tx, {
      actorId: actor.id,
      action: 'survey.units-enter-set',
      entityType: 'Campaign',
      entityId: open.campaign.id,
      before,
      after,
    });
    return ok(after);
  });
}

/** The unit's survey page: its figures, whether it may change them now, and why not. */
export interface UnitSurvey {
  setting: UnitSurveySetting;
  /** The survey component's maximum, null when the campaign has none. */
  max: string | null;
  stored: SurveyTally | null;
  component: string | null;
  /** May the person enter the figures today; otherwise why not (a message key). */
  editable: boolean;
  lockedReason: MessageKey | null;
}

const mayEnter = (ctx: UnitContext) => ctx.role === 'officer' || ctx.role === 'head';

function lockedReasonOf(
  ctx: UnitContext,
  setting: UnitSurveySetting,
  page: { max: string | null; locked: boolean; online: boolean },
  today: string,
): MessageKey | null {
  if (page.max === null) return 'survey.none';
  if (page.locked) return 'survey.closed';
  if (page.online) return 'reopen.survey.locked.online';
  if (!setting.unitsEnter) return 'reopen.survey.locked.notAllowed';
  if (setting.closes && today > setting.closes) return 'reopen.survey.locked.closed';
  if (!mayEnter(ctx)) return 'reopen.survey.locked.role';
  return null;
}

export async function unitSurvey(em: EntityManager, ctx: UnitContext, today: string): Promise<UnitSurvey | null> {
  const page = await loadSurvey(em, ctx.campaign.code);
  if (!page) return null;
  const setting = await unitSurveySetting(em, ctx.campaign.id);
  const stored = page.units.find((u) => u.code === ctx.unit.code)?.stored ?? null;
  const lockedReason = lockedReasonOf(ctx, setting, page, today);
  return {
    setting,
    max: page.max,
    stored,
    component: componentFor(page, stored),
    editable: lockedReason === null,
    lockedReason,
  };
}

/**
 * The unit's officer (or head) saves its own figures: checked as the secretariat's form checks them, written with the
 * campaign row locked (as the secretariat's save locks it), the setting and the date read again under that lock.
 * Refused ('locked', the reason in `_form`) outside the campaign's setting or after its date.
 */
export async function saveUnitSurvey(
  em: EntityManager,
  ctx: UnitContext,
  input: Omit<SurveyInput, 'unitCode'>,
  today: string,
): Promise<Outcome<{ changed: number }, 'invalid' | 'locked'>> {
  const row: SurveyInput = { ...input, unitCode: ctx.unit.code };
  return em.transactional(async (tx): Promise<Outcome<{ changed: number }, 'invalid' | 'locked'>> => {
    const open = await openSurvey(tx, ctx.campaign.code);
    if ('refused' in open) return refused('locked', { _form: open.refused });
    const page = await loadSurvey(tx, ctx.campaign.code);
    const setting = await unitSurveySetting(tx, open.campaign.id);
    const reason = lockedReasonOf(ctx, setting, page!, today);
    if (reason) return refused('locked', { _form: reason });
    const checked = checkSurveyInput(row);
    if (!checked.ok) {
      const errors: Record<string, string> = {};
      for (const problem of checked.problems) errors[surveyFieldKey(problem.field, ctx.unit.code)] ??= problem.message;
      return invalid(errors);
    }
    const changed = await store(
      tx,
      { id: ctx.userId },
      open,
      new Map([[ctx.unit.code, checked.tally]]),
      'survey.saved-by-unit',
    );
    return ok({ changed });
  });
}
