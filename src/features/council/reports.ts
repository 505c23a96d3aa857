// The unit's self-assessment report where it is judged (issue 23, item 2): the same generated DOCX/XLSX the unit gets,
// opened by the appraisers of the unit's fields, the council and the secretariat, each opening audited; and the unit's
// signed report (the PDF with its number and date), uploaded by its officer or head and shown beside the generated one.
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../../db/audit.ts';
import { calendarDateProblem, parseCalendarDate, todayInVietnam } from '../../domain/dates.ts';
import { agenciesOf, type CurrentUser, mayReadCouncil } from '../../domain/permissions.ts';
import { intArray } from '../../db/sql.ts';
import { effectiveAgencyCte } from '../appraisal/scope.ts';
import { inspectFile, kindOfExtension } from '../evidence/inspect.ts';
import { NoRoomError, type EvidenceStore } from '../evidence/store.ts';
import { discard, evidenceFileName, type ReceivedFile } from '../evidence/upload.ts';
import { invalid, ok, refused, type FieldErrors, type Outcome } from '../outcome.ts';
import { contextOf, type UnitContext, unitCampaignRow } from '../self-assessment/unit-access.ts';

/** Who opens a unit's report from outside the unit. */
export type ReportReader = 'secretariat' | 'council' | 'appraiser';

/**
 * The submitted self-assessment of a unit as a reader outside the unit sees it (the whole report, as its head gets
 * it), or null: no such unit or campaign, not submitted, or the person may not read it. The secretariat reads every
 * report; the council (chair, vice-chair, members of this campaign's council) too; an appraiser reads the reports of
 * the campaigns whose criteria their agency appraises.
 */
export async function reportReaderContext(
  em: EntityManager,
  user: CurrentUser,
  unitCode: string,
  campaignCode: string,
): Promise<{ ctx: UnitContext; reader: ReportReader } | null> {
  const row = await unitCampaignRow(em, unitCode, campaignCode);
  if (row?.sa_state !== 'submitted') return null;
  const reader = await readerOf(em, user, row.campaign_id, row.criteria_set_id);
  if (!reader) return null;
  // The whole report, as the unit's head gets it, and nothing to change.
  const ctx: UnitContext = {
    ...contextOf(row, user.id, 'head', todayInVietnam()),
    editable: false,
    lockedReason: 'submitted',
    mayAssign: false,
    maySubmit: false,
  };
  return { ctx, reader };
}

async function readerOf(
  em: EntityManager,
  user: CurrentUser,
  campaignId: number,
  criteriaSetId: number,
): Promise<ReportReader | null> {
  if (user.grants.some((g) => g.role === 'admin')) return 'secretariat';
  if (mayReadCouncil(user.grants, campaignId)) return 'council';
  const agencies = agenciesOf(user.grants);
  if (!agencies.length) return null;
  // An appraiser of the unit's fields: their agency appraises some criterion of the campaign's set.
  const [found] = await em.execute<{ n: number }[]>(
    `with recursive ${effectiveAgencyCte}
     select 1 as n from effective_agency where agency_id = any(?::int[]) limit 1`,
    [criteriaSetId, intArray(agencies)],
  );
  return found ? 'appraiser' : null;
}

/** Every opening of a unit's report from outside the unit is written down: who, which unit, which file. */
export async function auditReportOpening(
  em: EntityManager,
  user: CurrentUser,
  ctx: UnitContext,
  reader: ReportReader,
  file: 'docx' | 'xlsx' | 'signed',
): Promise<void> {
  audit(em, {
    actorId: user.id,
    action: 'report.opened',
    entityType: 'SelfAssessment',
    entityId: ctx.selfAssessment.id,
    after: { campaign: ctx.campaign.code, unit: ctx.unit.code, file, reader },
  });
  await em.flush();
}

export interface SignedReport {
  id: number;
  documentNumber: string;
  /** ISO yyyy-mm-dd. */
  documentDate: string;
  sha256: string;
  name: string;
  mediaType: string;
  size: string;
  uploadedBy: string | null;
  uploadedAt: Date;
}

const signedColumns = `r.id, r.document_number as "documentNumber", to_char(r.document_date, 'YYYY-MM-DD') as "documentDate",
  r.sha256, r.name, r.media_type as "mediaType", r.size::text as size, u.full_name as "uploadedBy", r.uploaded_at as "uploadedAt"`;

/** The latest signed report of a self-assessment, or null. */
export async function signedReportOf(em: EntityManager, selfAssessmentId: number): Promise<SignedReport | null> {
  const [row] = await em.execute<SignedReport[]>(
    `select ${signedColumns} from signed_report r left join app_user u on u.id = r.uploaded_by_id
      where r.self_assessment_id = ? order by r.id desc limit 1`,
    [selfAssessmentId],
  );
  return row ?? null;
}

/** The latest signed report of each of a campaign's units that has one, by unit code. */
export async function signedReportsOfCampaign(
  em: EntityManager,
  campaignCode: string,
): Promise<Map<string, SignedReport>> {
  const found = await em.execute<(SignedReport & { unit: string })[]>(
    `select distinct on (r.self_assessment_id) ${signedColumns}, un.code as unit
       from signed_report r join self_assessment sa on sa.id = r.self_assessment_id
       join campaign c on c.id = sa.campaign_id join unit un on un.id = sa.unit_id
       left join app_user u on u.id = r.uploaded_by_id
      where c.code = ? order by r.self_assessment_id, r.id desc`,
    [campaignCode],
  );
  return new Map(found.map((r) => [r.unit, r]));
}

/** The unit code and campaign code of an appraisal item, for the links to its unit's report. */
export async function reportOfItem(em: EntityManager, itemId: number) {
  const [row] = await em.execute<{ unit: string; campaign: string; saId: number }[]>(
    `select u.code as unit, c.code as campaign, sa.id as "saId" from appraisal a
       join criterion_score cs on cs.id = a.criterion_score_id join self_assessment sa on sa.id = cs.self_assessment_id
       join unit u on u.id = sa.unit_id join campaign c on c.id = sa.campaign_id where a.id = ?`,
    [itemId],
  );
  return row ?? null;
}

export type SignedReportRefusal = 'invalid' | 'locked' | 'tooLarge' | 'noRoom';

/**
 * Keeps the unit's signed report: a PDF (its type read from its content, as evidence is; the extension must agree),
 * with the report's number and date; the officer or the head, once the self-assessment is submitted and until the
 * council's ranking is approved. Audited; the temporary file is always gone afterwards.
 */
export async function attachSignedReport(
  em: EntityManager,
  store: EvidenceStore,
  ctx: UnitContext,
  file: ReceivedFile | null,
  fields: { number: string; date: string },
): Promise<Outcome<null, SignedReportRefusal>> {
  try {
    if (!ctx.mayAssign) return refused('locked', { _form: 'council2.signed.error.role' });
    if (ctx.selfAssessment.state !== 'submitted' || !signedReportOpen(ctx.campaign.state))
      return refused('locked', { _form: 'council2.signed.error.locked' });
    const errors: FieldErrors = {};
    const number = fields.number.trim().normalize('NFC');
    if (!number) errors.number = 'council2.signed.error.number';
    else if (number.length > 100) errors.number = 'council2.error.numberLong';
    const dateText = fields.date.trim();
    const problem = dateText ? calendarDateProblem(dateText) : 'format';
    const date = problem ? null : parseCalendarDate(dateText);
    if (!dateText) errors.date = 'council2.error.dateRequired';
    else if (problem)
      errors.date = problem === 'format' ? 'council2.error.dateFormat' : 'council2.error.dateNonexistent';
    else if (date! > todayInVietnam()) errors.date = 'council2.error.dateFuture';
    let mediaType = '';
    if (!file || file.size === 0) errors.file = 'council2.signed.error.file';
    else if (file.truncated) return refused('tooLarge', { ...errors, file: 'council2.signed.error.tooLarge' });
    else {
      const found = await inspectFile(file.tempFile);
      const claimed = kindOfExtension[path.extname(file.name).slice(1).toLowerCase()];
      if (!found || found.kind !== 'pdf' || (claimed && claimed !== 'pdf')) errors.file = 'council2.signed.error.type';
      else mediaType = found.mediaType;
    }
    if (Object.keys(errors).length) return invalid(errors);
    const received = file!;
    const name = evidenceFileName(received.name, 'pdf');
    return await em.transactional(async (tx) => {
      const [phase] = await tx.execute<{ state: string }[]>('select state from campaign where id = ? for share', [
        ctx.campaign.id,
      ]);
      if (!phase || !signedReportOpen(phase.state)) return refused('locked', { _form: 'council2.signed.error.locked' });
      const [added] = await tx.execute<{ id: number }[]>(
        `insert into signed_report (self_assessment_id, document_number, document_date, sha256, name, media_type, size, uploaded_by_id)
         values (?, ?, ?, ?, ?, ?, ?, ?) returning id`,
        [ctx.selfAssessment.id, number, date, received.sha256, name, mediaType, received.size, ctx.userId],
      );
      audit(tx, {
        actorId: ctx.userId,
        action: 'report.signed-uploaded',
        entityType: 'SelfAssessment',
        entityId: ctx.selfAssessment.id,
        after: { id: added.id, unit: ctx.unit.code, number, date, name, sha256: received.sha256, size: received.size },
      });
      await store.put(received.tempFile, received.sha256);
      return ok(null);
    });
  } catch (err) {
    if (err instanceof NoRoomError) return refused('noRoom', { file: 'evidence.error.noRoom' });
    throw err;
  } finally {
    if (file) await discard(file);
  }
}

/** The phases in which a unit may still upload its signed report. */
export const signedReportOpen = (campaignState: string) =>
  campaignState === 'self-assessment' || campaignState === 'appraisal' || campaignState === 'council-review';

export interface ReportLinks {
  campaign: string;
  unit: string;
  unitName: string;
  signed: SignedReport | null;
}

/**
 * What the links to a unit's report show on the appraisal pages (the item, the queue filtered on a unit): null when
 * no unit is named or it has not submitted (no report to judge yet).
 */
export async function reportLinksFor(
  em: EntityManager,
  campaignCode: string,
  unitCode: string | undefined | null,
): Promise<ReportLinks | null> {
  if (!unitCode) return null;
  const [row] = await em.execute<{ saId: number; unitName: string }[]>(
    `select sa.id as "saId", u.name as "unitName" from self_assessment sa join unit u on u.id = sa.unit_id
       join campaign c on c.id = sa.campaign_id where c.code = ? and u.code = ? and sa.state = 'submitted'`,
    [campaignCode, unitCode],
  );
  if (!row) return null;
  return { campaign: campaignCode, unit: unitCode, unitName: row.unitName, signed: await signedReportOf(em, row.saId) };
}
