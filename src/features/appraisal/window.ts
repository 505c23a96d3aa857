// The appraisal window (issue 23, item 5): the campaign's appraisal dates, shown to appraisers with the days left and
// held on every decision; the secretariat's extensions for one agency or one unit; the publication date with its days
// left for the chair and the secretariat. Dates are Vietnam's calendar dates (src/domain/dates.ts), as yyyy-mm-dd.

import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../../db/audit.ts';
import { intArray } from '../../db/sql.ts';
import { msg } from '../../domain/message.ts';
import { invalid, ok, refused, type FieldErrors, type Outcome } from '../outcome.ts';

export type WindowStatus = 'none' | 'notYet' | 'open' | 'closed';

/** Where today stands against a window: its dates, the extension in force (if later than the close), the days left. */
export interface WindowState {
  opens: string | null;
  closes: string | null;
  /** The latest extension that applies, when it runs past the campaign's close. */
  extendedTo: string | null;
  status: WindowStatus;
  /** Days until the (extended) close, 0 on its last day; days until the opening when not yet open. */
  days: number | null;
}

const dayNumber = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);
/** Whole days from `today` to `date` (negative when past). */
export const daysBetween = (today: string, date: string) => dayNumber(date) - dayNumber(today);

/**
 * A window's state on `today`. No dates at all: nothing is held ('none'). Before the opening: 'notYet'. After the
 * close, or after the extension when one runs later: 'closed'. An extension never opens a window early.
 */
export function windowState(
  opens: string | null,
  closes: string | null,
  extension: string | null,
  today: string,
): WindowState {
  const extendedTo = extension && (!closes || extension > closes) ? extension : null;
  const last = extendedTo ?? closes;
  if (!opens && !closes) return { opens, closes, extendedTo, status: 'none', days: null };
  if (opens && today < opens) return { opens, closes, extendedTo, status: 'notYet', days: daysBetween(today, opens) };
  if (last && today > last) return { opens, closes, extendedTo, status: 'closed', days: null };
  return { opens, closes, extendedTo, status: 'open', days: last ? daysBetween(today, last) : null };
}

interface CampaignDates {
  opens: string | null;
  closes: string | null;
  publishBy: string | null;
  state: string;
  practice: boolean;
}

async function campaignDates(em: EntityManager, campaignId: number): Promise<CampaignDates | null> {
  const [row] = await em.execute<CampaignDates[]>(
    `select to_char(appraisal_opens, 'YYYY-MM-DD') as opens, to_char(appraisal_closes, 'YYYY-MM-DD') as closes,
            to_char(publish_by, 'YYYY-MM-DD') as "publishBy", state, practice from campaign where id = ?`,
    [campaignId],
  );
  return row ?? null;
}

/** The latest extension of the campaign for any of these agencies or this unit (null when none). */
async function latestExtension(
  em: EntityManager,
  campaignId: number,
  agencyIds: number[],
  unitId: number | null,
): Promise<string | null> {
  const [row] = await em.execute<{ closes: string | null }[]>(
    `select to_char(max(closes), 'YYYY-MM-DD') as closes from appraisal_extension
      where campaign_id = ? and (agency_id = any(?::int[]) or unit_id = ?)`,
    [campaignId, intArray(agencyIds), unitId ?? -1],
  );
  return row?.closes ?? null;
}

/** One extension as the pages list it. */
export interface Extension {
  id: number;
  agencyId: number | null;
  unitId: number | null;
  /** The agency's or the unit's name. */
  name: string;
  closes: string;
  reason: string;
  grantedBy: string | null;
  grantedAt: string;
}

/** The campaign's extensions, latest first; only those for these agencies or for any unit when `agencyIds` is given. */
export async function extensionsOf(em: EntityManager, campaignId: number, agencyIds?: number[]): Promise<Extension[]> {
  return em.execute<Extension[]>(
    `select x.id, x.agency_id as "agencyId", x.unit_id as "unitId", coalesce(a.name, u.name) as name,
            to_char(x.closes, 'YYYY-MM-DD') as closes, x.reason, p.full_name as "grantedBy", x.granted_at as "grantedAt"
       from appraisal_extension x left join agency a on a.id = x.agency_id left join unit u on u.id = x.unit_id
       left join app_user p on p.id = x.granted_by_id
      where x.campaign_id = ? and (?::int[] is null or x.unit_id is not null or x.agency_id = any(?::int[]))
      order by x.closes desc, x.id desc`,
    [campaignId, agencyIds ? intArray(agencyIds) : null, agencyIds ? intArray(agencyIds) : null],
  );
}

/** What an appraiser's page shows for a campaign: the window for their agencies, and the extensions that touch them. */
export interface AppraiserWindow {
  state: WindowState;
  extensions: Extension[];
}

/** The window as these agencies' appraisers see it (an agency's extension moves their close; a unit's is listed). */
export async function appraiserWindow(
  em: EntityManager,
  campaignId: number,
  agencyIds: number[],
  today: string,
  unitId: number | null = null,
): Promise<AppraiserWindow | null> {
  const dates = await campaignDates(em, campaignId);
  if (!dates) return null;
  const extension = await latestExtension(em, campaignId, agencyIds, unitId);
  const extensions = (await extensionsOf(em, campaignId, agencyIds)).filter(
    (x) => x.agencyId !== null || unitId === null || x.unitId === unitId,
  );
  return { state: windowState(dates.opens, dates.closes, extension, today), extensions };
}

/**
 * Why a decision (or an opinion) on an item of `unitId` by `agencyIds` cannot be taken today, if the window does not
 * hold it: the refusal's message names the dates. Null when the window is open, or the campaign has no dates.
 */
export async function windowRefusal(
  em: EntityManager,
  campaignId: number,
  agencyIds: number[],
  unitId: number,
  today: string,
): Promise<{ ok: false; kind: 'locked'; errors?: FieldErrors } | null> {
  const dates = await campaignDates(em, campaignId);
  if (!dates) return null;
  const state = windowState(dates.opens, dates.closes, await latestExtension(em, campaignId, agencyIds, unitId), today);
  const shown = (iso: string) => iso.split('-').reverse().join('/');
  if (state.status === 'notYet')
    return refused('locked', { _form: msg('window.error.notYet', { date: shown(state.opens!) }) });
  if (state.status === 'closed')
    return refused('locked', { _form: msg('window.error.closed', { date: shown(state.extendedTo ?? state.closes!) }) });
  return null;
}

/** The publication date and its days left, for the chair's and the secretariat's pages (null when none is set). */
export async function publicationDue(
  em: EntityManager,
  campaignId: number,
  today: string,
): Promise<{ date: string; days: number; published: boolean } | null> {
  const dates = await campaignDates(em, campaignId);
  if (!dates?.publishBy) return null;
  return { date: dates.publishBy, days: daysBetween(today, dates.publishBy), published: dates.state === 'published' };
}

export interface ExtensionInput {
  /** `agency:<id>` or `unit:<id>`. */
  target: string;
  /** yyyy-mm-dd, or null when it was not typed or is no calendar date (`dateProblem` says which). */
  closes: string | null;
  dateProblem?: 'format' | 'nonexistent' | 'missing' | null;
  reason: string;
}

/**
 * The secretariat extends a campaign's appraisal window for one of its agencies or one of its units, with a reason
 * (audited). The new date must be a real date after the campaign's close (else it extends nothing) and not before today.
 */
export async function grantExtension(
  em: EntityManager,
  actor: { id: number },
  campaignId: number,
  input: ExtensionInput,
  today: string,
): Promise<Outcome<number>> {
  const dates = await campaignDates(em, campaignId);
  if (!dates) return invalid({ _form: 'window.error.target' });
  const errors: FieldErrors = {};
  const m = /^(agency|unit):(\d{1,9})$/.exec(input.target);
  let target: { agencyId: number | null; unitId: number | null; name: string } | null = null;
  if (m) {
    const [row] =
      m[1] === 'agency'
        ? await em.execute<{ name: string }[]>('select name from agency where id = ?', [Number(m[2])])
        : await em.execute<{ name: string }[]>(
            'select u.name from campaign_unit cu join unit u on u.id = cu.unit_id where cu.campaign_id = ? and u.id = ?',
            [campaignId, Number(m[2])],
          );
    if (row)
      target = {
        agencyId: m[1] === 'agency' ? Number(m[2]) : null,
        unitId: m[1] === 'unit' ? Number(m[2]) : null,
        name: row.name,
      };
  }
  if (!target) errors.target = 'window.error.target';
  if (!input.closes)
    errors.closes =
      input.dateProblem === 'nonexistent'
        ? 'window.error.dateNonexistent'
        : input.dateProblem === 'format'
          ? 'campaign.date.format'
          : 'window.error.dateMissing';
  else if (dates.closes && input.closes <= dates.closes)
    errors.closes = msg('window.error.notAfterClose', { date: dates.closes.split('-').reverse().join('/') });
  else if (input.closes < today) errors.closes = 'window.error.past';
  const reason = input.reason.trim().normalize('NFC');
  if (!reason) errors.reason = 'window.error.reason';
  if (Object.keys(errors).length || !target || !input.closes) return invalid(errors);
  const t = target;
  const closes = input.closes;
  return em.transactional(async (tx) => {
    const [row] = await tx.execute<{ id: number }[]>(
      `insert into appraisal_extension (campaign_id, agency_id, unit_id, closes, reason, granted_by_id)
       values (?, ?, ?, ?, ?, ?) returning id`,
      [campaignId, t.agencyId, t.unitId, closes, reason, actor.id],
    );
    audit(tx, {
      actorId: actor.id,
      action: 'appraisal.window-extended',
      entityType: 'Campaign',
      entityId: campaignId,
      before: { closes: dates.closes },
      after: { extensionId: row!.id, agencyId: t.agencyId, unitId: t.unitId, name: t.name, closes },
      reason,
    });
    return ok(row!.id);
  });
}

/** The choices of the extension form: the campaign's agencies (those appraising its criteria) and its units. */
export async function extensionTargets(em: EntityManager, campaignId: number) {
  const agencies = await em.execute<{ id: number; name: string }[]>(
    `select a.id, a.name from agency a where a.id in (
       select c.agency_id from criterion c join campaign k on k.criteria_set_id = c.criteria_set_id where k.id = ? and c.agency_id is not null
       union select cc.agency_id from criterion_co_agency cc join criterion c on c.id = cc.criterion_id join campaign k on k.criteria_set_id = c.criteria_set_id where k.id = ?)
      order by a.name collate "vi-x-icu"`,
    [campaignId, campaignId],
  );
  const units = await em.execute<{ id: number; name: string }[]>(
    `select u.id, u.name from campaign_unit cu join unit u on u.id = cu.unit_id where cu.campaign_id = ? order by u.name collate "vi-x-icu"`,
    [campaignId],
  );
  return { agencies, units };
}

/** When the secretariat opens the appraisal phase before its planned opening, the window opens that day. */
export const openedEarly = (opens: string | null, today: string) => (opens && opens > today ? today : opens);
