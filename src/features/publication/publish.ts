import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../../db/audit.ts';
import { executeBound } from '../../db/sql.ts';
import { format, toJsonNumber, type Dec, type Places } from '../../domain/decimal.ts';
import { msg, type FieldErrors } from '../../domain/message.ts';
import { formatDate } from '../../domain/dates.ts';
import { computeResults } from '../../domain/scoring.ts';
import { invalid, ok, type Outcome } from '../outcome.ts';
import { loadScoringInput, notSubmittedUnits, predecessorResults } from '../results.ts';
import { notSubmittedStatus } from '../../domain/standing.ts';
import { buildDocument, toCsv, toJsonText, toXlsx } from './document.ts';
import { noticePublished } from '../notices.ts';
import { reopenedPending } from '../self-assessment/reopen.ts';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** Units per published_result statement. */
const publishChunk = 250;

/** The publication's version and the SHA-256 of its results.json (0 and '' for an approval). */
export type PublishOutcome = Outcome<{ version: number; sha256: string }>;

interface CampaignRow {
  id: number;
  code: string;
  name: string;
  year: number;
  organizer: string;
  precision: number;
  rounding: string;
  state: string;
  decision: string;
  approval_decision: string | null;
  approval_date: string | null;
  approved_by_id: number | null;
}

/**
 * The chair approves the council's proposal, recording the decision (number and date). The decision's date may be
 * neither after today (Vietnam's date) nor before the day appraisal closed (the step to council review). With
 * `dryRun` every check runs and nothing is written: the confirmation page asks only about an approval that would pass.
 */
export async function approveCampaign(
  em: EntityManager,
  actorId: number,
  code: string,
  decision: string,
  date: string | null,
  opts: { today: string; dryRun?: boolean },
): Promise<PublishOutcome> {
  const errors: FieldErrors = {};
  if (!decision.trim()) errors.decision = 'publication.error.decision';
  if (!date) errors.decisionDate = 'publication.error.decisionDate';
  if (Object.keys(errors).length) return invalid(errors);
  return em.transactional(async (tx) => {
    const [c] = await tx.execute<CampaignRow[]>('select * from campaign where code = ? for update', [code]);
    if (c?.state !== 'council-review') return invalid({ _form: 'publication.error.notInReview' });
    const reopened = await reopenedPending(tx, c.id);
    if (reopened > 0) return invalid({ _form: msg('reopen.error.approvalPending', { n: reopened }) });
    const closed = await appraisalClosedOn(tx, c.id);
    if (date! > opts.today)
      return invalid({ decisionDate: msg('approval.error.future', { today: formatDate(opts.today) }) });
    if (closed && date! < closed)
      return invalid({ decisionDate: msg('approval.error.beforeClose', { closed: formatDate(closed) }) });
    if (opts.dryRun) return ok({ version: 0, sha256: '' });
    await tx.execute(
      `update campaign set state = 'approved', approval_decision = ?, approval_date = ?, approved_by_id = ?, approved_at = now() where id = ?`,
      [decision.trim().normalize('NFC'), date, actorId, c.id],
    );
    audit(tx, {
      actorId,
      action: 'campaign.approved',
      entityType: 'Campaign',
      entityId: c.id,
      before: { state: c.state },
      after: { state: 'approved', decision, date },
    });
    return ok({ version: 0, sha256: '' });
  });
}

/** The day (in Vietnam) the campaign last moved to council review, which closed appraisal; null when never recorded. */
export async function appraisalClosedOn(em: EntityManager, campaignId: number): Promise<string | null> {
  const [row] = await em.execute<{ day: string | null }[]>(
    `select to_char(max(at) at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') as day from audit_event
      where entity_type = 'Campaign' and entity_id = ? and action = 'campaign.state-changed' and after->>'state' = 'council-review'`,
    [String(campaignId)],
  );
  return row?.day ?? null;
}

/**
 * Whether a publication may be made now, as `publishCampaign` decides it (a first one after the chair's approval, a
 * correction with its reason), and the version it would be; nothing is written.
 */
export async function checkPublication(
  em: EntityManager,
  code: string,
  correctionReason: string,
): Promise<Outcome<{ version: number; correction: boolean }>> {
  const [c] = await em.execute<{ state: string; last: number | null }[]>(
    `select k.state, (select max(version) from publication p where p.campaign_id = k.id) as last from campaign k where k.code = ?`,
    [code],
  );
  if (!c) return invalid({ _form: msg('publication.error.noCampaign', { code }) });
  if (c.state === 'approved') return ok({ version: (c.last ?? 0) + 1, correction: false });
  if (c.state !== 'published') return invalid({ _form: 'publication.error.notApproved' });
  if (!correctionReason.trim()) return invalid({ correctionReason: 'publication.error.correctionReason' });
  return ok({ version: (c.last ?? 0) + 1, correction: true });
}

/**
 * Freezes the campaign's results as a new publication version: the scoring core's results, the exact bytes of
 * results.json/.csv/.xlsx with their hashes, the previous version's hash, and one row per unit. A first publication
 * needs the chair's approval (or an imported past year); any later one is a correction and needs its reason.
 */
export async function publishCampaign(
  em: EntityManager,
  actorId: number | null,
  code: string,
  opts: { correctionReason?: string; imported?: boolean; now?: Date; progress?: (step: string) => void } = {},
): Promise<PublishOutcome> {
  const progress = opts.progress ?? (() => {});
  return em.transactional(async (tx): Promise<PublishOutcome> => {
    const [c] = await tx.execute<CampaignRow[]>(
      `select id, code, name, year, organizer, precision, rounding, state, decision, approval_decision, to_char(approval_date, 'YYYY-MM-DD') as approval_date, approved_by_id
         from campaign where code = ? for update`,
      [code],
    );
    if (!c) return invalid({ _form: msg('publication.error.noCampaign', { code }) });
    const reason = opts.correctionReason?.trim().normalize('NFC') ?? '';
    const first = c.state === 'approved' || (opts.imported === true && c.state === 'council-review');
    if (!first && c.state !== 'published') return invalid({ _form: 'publication.error.notApproved' });
    if (c.state === 'published' && !reason) return invalid({ correctionReason: 'publication.error.correctionReason' });

    progress(`publishing ${c.code}: loading the scores`);
    const input = await loadScoringInput(tx, c.id);
    progress(`scoring ${input.units.length} units`);
    const results = computeResults(input);
    // In a campaign run on the portal, a unit that never submitted is a state, not a score; imported results are all real.
    const notSubmitted = opts.imported ? new Set<string>() : await notSubmittedUnits(tx, c.id);
    const predecessors = await predecessorResults(tx, c.id, c.year);
    const [last] = await tx.execute<{ version: number; sha256: string }[]>(
      'select version, sha256 from publication where campaign_id = ? order by version desc limit 1',
      [c.id],
    );
    const version = (last?.version ?? 0) + 1;
    const publishedAt = opts.now ?? new Date();
    const doc = buildDocument({
      campaign: {
        code: c.code,
        name: c.name,
        year: c.year,
        organizer: c.organizer,
        precision: c.precision,
        rounding: c.rounding,
      },
      composition: input.rules.composition,
      bands: input.rules.bands,
      version,
      publishedAt,
      results,
      notSubmitted,
      predecessors,
    });
    progress('writing results.json, .csv and .xlsx');
    const json = toJsonText(doc);
    const csv = toCsv(doc);
    const xlsx = await toXlsx(doc);
    const hash = sha256(json);
    // Megabytes of JSON, CSV and XLSX: bound, not written into the statement (src/db/sql.ts).
    const [{ id: publicationId }] = await executeBound<{ id: number }>(
      tx,
      `insert into publication (campaign_id, version, decision_number, decision_date, approved_by_id, published_at, correction_reason, imported,
                                results, results_json, results_csv, results_xlsx, sha256, csv_sha256, xlsx_sha256, previous_sha256)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13, $14, $15, $16) returning id`,
      [
        c.id,
        version,
        c.approval_decision ?? '',
        c.approval_date,
        c.approved_by_id,
        publishedAt,
        reason || null,
        opts.imported === true,
        json,
        json,
        csv,
        xlsx,
        hash,
        sha256(csv),
        sha256(xlsx),
        last?.sha256 ?? null,
      ],
    );

    if (opts.imported !== true) await noticePublished(tx, c.id, version, !first);

    const reasons = await tx.execute<{ unit_code: string; code: string; reason: string }[]>(
      `select u.code as unit_code, c.code, a.reason from appraisal a join criterion_score cs on cs.id = a.criterion_score_id
         join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id join criterion c on c.id = cs.criterion_id
        where sa.campaign_id = ? and a.reason <> ''`,
      [c.id],
    );
    const places = c.precision as Places;
    const reasonOf = new Map(reasons.map((q) => [`${q.unit_code}\u0000${q.code}`, q.reason]));
    // A province's criteria scores take a few hundred distinct values: each is written out once.
    const written = new Map<bigint, string>();
    const text = (value: Dec | null) => {
      if (value === null) return null;
      let t = written.get(value);
      if (t === undefined) written.set(value, (t = format(value)));
      return t;
    };
    const rankOf = new Map(doc.units.map((u) => [u.code, u.rank]));
    const rowOf = (r: (typeof results)[number]) => {
      if (notSubmitted.has(r.code))
        return {
          unit_code: r.code,
          unit_name: r.name,
          rank: null,
          index: null,
          band: null,
          status: notSubmittedStatus,
          points: null,
          applicable_max: null,
          components: {},
          detail: { selfPoints: null, criteria: {} },
        };
      const criteria = Object.fromEntries(
        [...r.criteria].map(([code, x]) => [
          code,
          {
            max: text(x.max),
            applicable: x.applicable,
            self: text(x.self),
            score: text(x.score),
            reason: reasonOf.get(`${r.code}\u0000${code}`) ?? null,
          },
        ]),
      );
      return {
        unit_code: r.code,
        unit_name: r.name,
        block: r.block,
        rank: rankOf.get(r.code) ?? r.rank,
        index: format(r.index),
        band: r.band,
        points: r.points === null ? null : format(r.points),
        applicable_max: r.applicableMax === null ? null : format(r.applicableMax),
        components: Object.fromEntries(Object.entries(r.components).map(([k, v]) => [k, toJsonNumber(v, places)])),
        detail: { selfPoints: r.selfPoints === null ? null : format(r.selfPoints), criteria },
      };
    };
    // A statement per 250 units: a province's publication stays one transaction without one statement of 50 MB.
    for (let from = 0; from < results.length; from += publishChunk) {
      await executeBound(
        tx,
        `insert into published_result (publication_id, unit_code, unit_name, block, rank, index, band, status, points, applicable_max, components, detail)
         select $1, x.unit_code, x.unit_name, x.block, x.rank, x.index, x.band, x.status, x.points, x.applicable_max, x.components, x.detail
           from jsonb_to_recordset($2::jsonb) as x(unit_code text, unit_name text, block text, rank int, index numeric, band text, status text, points numeric,
                                                  applicable_max numeric, components jsonb, detail jsonb)`,
        [publicationId, JSON.stringify(results.slice(from, from + publishChunk).map(rowOf))],
      );
      progress(`published rows: ${Math.min(from + publishChunk, results.length)}/${results.length} units`);
    }
    await tx.execute(`update campaign set state = 'published' where id = ?`, [c.id]);
    audit(tx, {
      actorId,
      action:
        version === 1 ? (opts.imported ? 'campaign.published-imported' : 'campaign.published') : 'campaign.corrected',
      entityType: 'Publication',
      entityId: publicationId,
      before: { state: c.state, previousSha256: last?.sha256 ?? null },
      after: { version, sha256: hash },
      reason: reason || null,
    });
    return ok({ version, sha256: hash });
  });
}
