import { createHash, type X509Certificate } from 'node:crypto';
import { open, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { QueryResult } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../../db/audit.ts';
import { intArray } from '../../db/sql.ts';
import { EvidenceFileSchema } from '../../db/entities/index.ts';
import { scoreRef, type ScoreRef, type UnitContext } from '../self-assessment/unit-access.ts';
import { bodyOfUpload, fileSigningExempt } from '../self-assessment/hands.ts';
import { hasLetterSuffix, inspectFile, kindOfExtension, type EvidenceKind } from './inspect.ts';
import type { SignatureFacts, SignatureVerdict } from './signatures.ts';
import { anchorsById, ensureSignatureCheck, verdicts } from './verification.ts';
import type { Outcome } from '../outcome.ts';
import { NoRoomError, noRoomFrom, type EvidenceStore } from './store.ts';

/** One evidence file as the criteria page shows it. */
export interface EvidenceItem {
  id: number;
  scoreId: number;
  originalName: string;
  mediaType: string;
  size: number;
  documentNumber: string;
  /** ISO yyyy-mm-dd. */
  documentDate: string | null;
  issuer: string;
  signed: boolean;
  signer: string | null;
  signatureCoversWhole: boolean | null;
  looksScanned: boolean;
  /** Seed 003's "số văn bản a, b", computed from the number rather than stored, so the rule can be refined. */
  letterSuffix: boolean;
  /** Each signature as verified and judged against the current trust anchors; null when never verified. */
  signatures: SignatureVerdict[] | null;
  /** Sent with the answer to an explanation request (after the self-assessment closed, by design). */
  answersRequest: boolean;
  /** The unit's last day of self-assessment (the campaign's, or the unit's extension when later), ISO, if set. */
  selfAssessmentCloses: string | null;
  /** Sent by a unit, or for a body of it, that the secretariat marked as unable to sign digitally (issue 23). */
  signingExempt: boolean;
  uploadedAt: Date;
  uploadedBy: string;
  uploadedById: number;
}

interface ItemRow {
  id: number;
  criterion_score_id: number;
  original_name: string;
  media_type: string;
  size: string | number;
  document_number: string;
  document_date: string | null;
  issuer: string;
  signed: boolean;
  signer: string | null;
  signature_covers_whole: boolean | null;
  looks_scanned: boolean;
  uploaded_at: Date;
  uploaded_by: string;
  uploaded_by_id: number;
  signature_facts: SignatureFacts[] | null;
  anchor_ids: number[] | null;
  explanation_request_id: number | null;
  closes: string | null;
  signing_exempt: boolean;
}

const itemColumns = `ef.id, ef.criterion_score_id, ef.original_name, ef.media_type, ef.size, ef.document_number,
       to_char(ef.document_date, 'YYYY-MM-DD') as document_date, ef.issuer, ef.signed, ef.signer, ef.signature_covers_whole,
       ef.looks_scanned, ef.uploaded_at, u.full_name as uploaded_by, ef.uploaded_by_id, ef.explanation_request_id,
       sc.signatures as signature_facts, (select array_agg(t.id order by t.id) from trust_anchor t) as anchor_ids,
       (select to_char(greatest(c.self_assessment_closes, cu.deadline_extended_to), 'YYYY-MM-DD')
          from self_assessment sa join campaign c on c.id = sa.campaign_id
          left join campaign_unit cu on cu.campaign_id = sa.campaign_id and cu.unit_id = sa.unit_id
         where sa.id = (select s.self_assessment_id from criterion_score s where s.id = ef.criterion_score_id)) as closes,
       ${fileSigningExempt('ef')} as signing_exempt`;

/** The trust anchors the rows name (the same list on every row), parsed: a query only for anchors not seen before. */
async function anchorsOf(em: EntityManager, rows: ItemRow[]) {
  const withFacts = rows.find((r) => r.signature_facts);
  return withFacts ? anchorsById(em, withFacts.anchor_ids ?? []) : [];
}

function toItem(r: ItemRow, anchors: X509Certificate[]): EvidenceItem {
  return {
    id: r.id,
    scoreId: r.criterion_score_id,
    originalName: r.original_name,
    mediaType: r.media_type,
    size: Number(r.size),
    documentNumber: r.document_number,
    documentDate: r.document_date,
    issuer: r.issuer,
    signed: r.signed,
    signer: r.signer,
    signatureCoversWhole: r.signature_covers_whole,
    looksScanned: r.looks_scanned,
    letterSuffix: hasLetterSuffix(r.document_number),
    signatures: verdicts(r.signature_facts, anchors),
    answersRequest: r.explanation_request_id !== null,
    selfAssessmentCloses: r.closes,
    signingExempt: r.signing_exempt,
    uploadedAt: r.uploaded_at,
    uploadedBy: r.uploaded_by,
    uploadedById: r.uploaded_by_id,
  };
}

/** The current (not removed) files of these criterion scores, oldest first: one query whatever the page's size. */
export async function listEvidence(em: EntityManager, scoreIds: number[]): Promise<Map<number, EvidenceItem[]>> {
  const byScore = new Map<number, EvidenceItem[]>();
  if (!scoreIds.length) return byScore;
  const rows = await em.execute<ItemRow[]>(
    `select ${itemColumns}
       from evidence_file ef join app_user u on u.id = ef.uploaded_by_id
       left join evidence_signature_check sc on sc.sha256 = ef.sha256
      where ef.criterion_score_id = any(?::int[]) and ef.removed_at is null
      order by ef.uploaded_at, ef.id`,
    [intArray(scoreIds)],
  );
  const anchors = await anchorsOf(em, rows);
  for (const r of rows) {
    const list = byScore.get(r.criterion_score_id) ?? [];
    list.push(toItem(r, anchors));
    byScore.set(r.criterion_score_id, list);
  }
  return byScore;
}

export interface FoundEvidence extends EvidenceItem {
  sha256: string;
  criterionCode: string;
  removed: boolean;
}

/**
 * A file of this unit's self-assessment, if this person may see its criterion: found through `scoreRef`, so another
 * unit's file and a contributor's unassigned criterion are simply not found. Removed files are found (history).
 */
export async function findEvidence(em: EntityManager, ctx: UnitContext, id: number): Promise<FoundEvidence | null> {
  if (!Number.isSafeInteger(id)) return null;
  const [row] = await em.execute<(ItemRow & { sha256: string; code: string; removed_at: Date | null })[]>(
    `select ${itemColumns}, ef.sha256, ef.removed_at, c.code
       from evidence_file ef
       join app_user u on u.id = ef.uploaded_by_id
       left join evidence_signature_check sc on sc.sha256 = ef.sha256
       join criterion_score cs on cs.id = ef.criterion_score_id
       join criterion c on c.id = cs.criterion_id
      where ef.id = ? and cs.self_assessment_id = ?`,
    [id, ctx.selfAssessment.id],
  );
  if (!row) return null;
  const ref = await scoreRef(em, ctx, row.code);
  if (!ref || ref.id !== row.criterion_score_id) return null;
  return {
    ...toItem(row, await anchorsOf(em, [row])),
    sha256: row.sha256,
    criterionCode: row.code,
    removed: row.removed_at !== null,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Receiving an upload

/** The parts of a multipart body, as @fastify/multipart's `req.parts()` yields them. */
export type UploadPart =
  | { type: 'field'; fieldname: string; value: unknown }
  | { type: 'file'; fieldname: string; filename: string; file: Readable & { truncated?: boolean } };

export interface ReceivedFile {
  tempFile: string;
  sha256: string;
  size: number;
  /** The name as the person's computer had it, cleaned for display and download. */
  name: string;
  /** Cut at the size limit: more was sent than is kept. */
  truncated: boolean;
}

export interface Received {
  fields: Record<string, string>;
  /** The file part named `file`, when one with a name was sent and `accept` was true. */
  file: ReceivedFile | null;
}

/**
 * Reads a multipart body: text fields are collected, the first file part named `file` is streamed to a temporary
 * file while it is hashed and counted (never held in memory), any other file part is drained. With `accept` false
 * (the self-assessment is locked) every file is drained unwritten. When the body breaks off (a dropped connection,
 * a truncated form), the temporary file is deleted and the error thrown. When the disk has no room (full, or below the
 * store's reserve), the rest of the body is still read, so that the answer reaches the sender, nothing is kept, and
 * NoRoomError is thrown at the end.
 */
export async function receiveUpload(
  parts: AsyncIterable<UploadPart>,
  store: EvidenceStore,
  opts: { maxBytes: number; accept: boolean },
): Promise<Received> {
  const fields: Record<string, string> = {};
  let file: ReceivedFile | null = null;
  let noRoom: unknown = null;
  try {
    for await (const part of parts) {
      if (part.type === 'field') {
        if (typeof part.value === 'string' && !(part.fieldname in fields)) fields[part.fieldname] = part.value;
      } else if (opts.accept && !file && !noRoom && part.fieldname === 'file' && part.filename) {
        const written = await writeTemp(part, store, opts.maxBytes);
        if (written instanceof NoRoomError) noRoom = written;
        else file = written;
      } else {
        part.file.resume();
        await finished(part.file);
      }
    }
  } catch (err) {
    if (file) await discard(file);
    throw err;
  }
  // The typed fields go with the refusal, so that the form shown again keeps them.
  if (noRoom) throw Object.assign(noRoom as NoRoomError, { fields });
  return { fields, file };
}

/** Check the free space again after this many bytes of one upload, so that a large one cannot eat the reserve. */
const roomCheckEvery = 4 * 1024 * 1024;

/** The upload's file in a temporary file; a NoRoomError (returned, the part read to its end) when the disk has no room. */
async function writeTemp(
  part: Extract<UploadPart, { type: 'file' }>,
  store: EvidenceStore,
  maxBytes: number,
): Promise<ReceivedFile | NoRoomError> {
  const refuse = async (err: unknown) => {
    const cause = noRoomFrom(err);
    if (!(cause instanceof NoRoomError)) throw cause;
    part.file.resume();
    await finished(part.file);
    return cause;
  };
  let tempFile: string;
  let handle: FileHandle;
  try {
    tempFile = await store.tempPath();
    handle = await open(tempFile, 'wx', 0o600);
  } catch (err) {
    return refuse(err);
  }
  const hash = createHash('sha256');
  let size = 0;
  let checkedAt = 0;
  let noRoom: NoRoomError | null = null;
  try {
    for await (const chunk of part.file as AsyncIterable<Buffer>) {
      size += chunk.length;
      // Past the limit, or once the disk has no room, nothing more is written: the rest is only read to the end.
      if (size > maxBytes || noRoom) continue;
      hash.update(chunk);
      try {
        await writeAll(handle, chunk);
        if (size - checkedAt >= roomCheckEvery) {
          checkedAt = size;
          await store.ensureRoom();
        }
      } catch (err) {
        const cause = noRoomFrom(err);
        if (!(cause instanceof NoRoomError)) throw cause;
        noRoom = cause;
      }
    }
    // A full disk may only show when the last buffered bytes are written out.
    await handle.close().catch((err) => {
      const cause = noRoomFrom(err);
      if (!(cause instanceof NoRoomError)) throw cause;
      noRoom ??= cause;
    });
  } catch (err) {
    await handle.close().catch(() => {});
    await rm(tempFile, { force: true });
    throw err;
  }
  if (noRoom) {
    await rm(tempFile, { force: true });
    return noRoom;
  }
  return {
    tempFile,
    sha256: hash.digest('hex'),
    size,
    name: cleanFileName(part.filename),
    truncated: part.file.truncated === true || size > maxBytes,
  };
}

/**
 * Writes the whole chunk. A write may take only part of it (the disk filling up is one reason) without an error;
 * writing the rest then reports why, so that a file is never kept cut short.
 */
async function writeAll(handle: FileHandle, chunk: Buffer): Promise<void> {
  for (let at = 0; at < chunk.length; ) {
    const { bytesWritten } = await handle.write(chunk, at, chunk.length - at);
    if (bytesWritten === 0) throw Object.assign(new Error('nothing could be written'), { code: 'ENOSPC' });
    at += bytesWritten;
  }
}

/** Deletes an upload's temporary file; harmless once the store has taken it. */
export async function discard(file: ReceivedFile | null): Promise<void> {
  if (file) await rm(file.tempFile, { force: true });
}

/**
 * Control (Cc), format (Cf: the bidirectional marks, embeddings, overrides and isolates U+200E/F, U+202A–202E,
 * U+2066–2069, U+061C among them, zero-width characters, BOM), line and paragraph separators and lone surrogates:
 * none belongs in a file name, and a right-to-left override makes `‮RLOfdp.exe` read as `RLOexe.pdf`.
 */
const unwantedInName = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;

/** Only the last path segment, NFC (macOS sends decomposed Vietnamese), no control or format characters, at most 255 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.normalize('NFC').replace(unwantedInName, '').trim();
  if (clean.length <= 255) return clean || 'tep';
  const ext = path.extname(clean).slice(0, 16);
  return clean.slice(0, 255 - ext.length) + ext;
}

/** The extension a stored file gets when its name has none of its kind. */
const extensionOfKind: Record<EvidenceKind, string> = {
  pdf: 'pdf',
  docx: 'docx',
  xlsx: 'xlsx',
  jpeg: 'jpg',
  png: 'png',
};

/**
 * The name a file is kept and offered under: cleaned (cleanFileName), and ending in an extension of the kind its bytes
 * were found to be. A name whose extension already says that kind stays as it is; otherwise the kind's extension is
 * appended rather than put in place of the old one (`x.exe` holding a PDF becomes `x.exe.pdf`), so that the name the
 * person gave stays readable while the computer that downloads it opens it for what it is.
 */
export function evidenceFileName(name: string, kind: EvidenceKind): string {
  const clean = cleanFileName(name);
  // After the last dot, a bare `.pdf` included (path.extname sees none there).
  if (kindOfExtension[clean.slice(clean.lastIndexOf('.') + 1).toLowerCase()] === kind && clean.includes('.'))
    return clean;
  const ext = `.${extensionOfKind[kind]}`;
  return (clean.length + ext.length <= 255 ? clean : clean.slice(0, 255 - ext.length)) + ext;
}

// ---------------------------------------------------------------------------------------------------------------
// Adding and removing

export interface EvidenceMeta {
  documentNumber: string;
  /** ISO yyyy-mm-dd. */
  documentDate: string | null;
  issuer: string;
}

export type EvidenceRefusal = 'locked' | 'empty' | 'tooLarge' | 'type' | 'mismatch' | 'duplicate' | 'noRoom';
export type EvidenceOutcome<T> = Outcome<T, EvidenceRefusal>;

/**
 * What is wrong with a received file by itself, before anything is stored: over the limit, empty, of a type the portal
 * does not take, or not the type its name claims (the checks addEvidence makes first). The upload form asks it when a
 * typed field is refused too, so that a wrong type and a bad date are told at once.
 */
export async function refusedFile(file: ReceivedFile): Promise<'tooLarge' | 'empty' | 'type' | 'mismatch' | null> {
  if (file.truncated) return 'tooLarge';
  if (file.size === 0) return 'empty';
  const found = await inspectFile(file.tempFile);
  if (!found) return 'type';
  const claimed = kindOfExtension[path.extname(file.name).slice(1).toLowerCase()];
  if (claimed && claimed !== found.kind) return 'mismatch';
  return null;
}

/**
 * Adds a received file to a criterion: refused when locked, empty, over the limit, of a type the portal does not take
 * (or not the type its name claims) or already attached. Otherwise one transaction inserts the row and its audit event
 * and moves the bytes into the store before committing: a failed commit leaves an orphan file for the sweep, never a
 * row without its file. The temporary file is always gone afterwards.
 */
export async function addEvidence(
  em: EntityManager,
  store: EvidenceStore,
  ctx: UnitContext,
  ref: ScoreRef,
  file: ReceivedFile,
  meta: EvidenceMeta,
  answering?: { explanationRequestId: number; today: string },
): Promise<EvidenceOutcome<{ id: number }>> {
  try {
    // Extra evidence for a supplementary explanation comes after submission, while the request is open.
    if (!answering && !ctx.editable) return { ok: false, kind: 'locked' };
    if (file.truncated) return { ok: false, kind: 'tooLarge' };
    if (file.size === 0) return { ok: false, kind: 'empty' };
    const found = await inspectFile(file.tempFile);
    if (!found) return { ok: false, kind: 'type' };
    const claimed = kindOfExtension[path.extname(file.name).slice(1).toLowerCase()];
    if (claimed && claimed !== found.kind) return { ok: false, kind: 'mismatch' };
    const name = evidenceFileName(file.name, found.kind);
    // Once per distinct content, before the row exists: the check is kept by SHA-256 whatever happens to the upload.
    await ensureSignatureCheck(em, file.sha256, file.tempFile, found.signatures);
    return await em.transactional(async (tx) => {
      const open = answering
        ? await requestStillOpen(tx, answering.explanationRequestId, ref.id, answering.today)
        : await stillDraft(tx, ctx);
      if (!open) return { ok: false, kind: 'locked' } as const;
      const [dup] = await tx.execute(
        'select 1 from evidence_file where criterion_score_id = ? and sha256 = ? and removed_at is null',
        [ref.id, file.sha256],
      );
      if (dup) return { ok: false, kind: 'duplicate' } as const;
      const row = tx.create(EvidenceFileSchema, {
        criterionScore: ref.id,
        explanationRequest: answering?.explanationRequestId ?? null,
        sha256: file.sha256,
        size: file.size,
        mediaType: found.mediaType,
        originalName: name,
        documentNumber: meta.documentNumber,
        documentDate: meta.documentDate,
        issuer: meta.issuer,
        signed: found.signed,
        signer: found.signer,
        signatureCoversWhole: found.signatureCoversWhole,
        looksScanned: found.looksScanned,
        uploadedBy: ctx.userId,
        bodyId: await bodyOfUpload(tx, ctx.userId, ref.id),
      });
      await tx.flush();
      audit(tx, {
        actorId: ctx.userId,
        action: 'evidence.uploaded',
        entityType: 'EvidenceFile',
        entityId: row.id,
        after: {
          unit: ctx.unit.code,
          campaign: ctx.campaign.code,
          criterion: ref.criterionCode,
          name,
          sha256: file.sha256,
          size: file.size,
          mediaType: found.mediaType,
          ...meta,
        },
      });
      await store.put(file.tempFile, file.sha256);
      return { ok: true, value: { id: row.id } } as const;
    });
  } catch (err) {
    // The store's disk filled up between receiving and storing: the row was rolled back with it.
    if (err instanceof NoRoomError) return { ok: false, kind: 'noRoom' };
    throw err;
  } finally {
    await discard(file);
  }
}

/** Marks a file removed (its bytes stay, for the history); only while the self-assessment may still change. */
export async function removeEvidence(
  em: EntityManager,
  ctx: UnitContext,
  file: FoundEvidence,
): Promise<EvidenceOutcome<null>> {
  if (!ctx.editable) return { ok: false, kind: 'locked' };
  return em.transactional(async (tx) => {
    if (!(await stillDraft(tx, ctx))) return { ok: false, kind: 'locked' } as const;
    const changed = await tx.execute<QueryResult>(
      'update evidence_file set removed_at = now() where id = ? and removed_at is null',
      [file.id],
      'run',
    );
    if (changed.affectedRows) {
      audit(tx, {
        actorId: ctx.userId,
        action: 'evidence.removed',
        entityType: 'EvidenceFile',
        entityId: file.id,
        before: {
          unit: ctx.unit.code,
          campaign: ctx.campaign.code,
          criterion: file.criterionCode,
          name: file.originalName,
          sha256: file.sha256,
        },
      });
    }
    return { ok: true, value: null } as const;
  });
}

/** Locks the request against its answer being sent at the same time, and says whether the unit may still add to it. */
async function requestStillOpen(
  tx: EntityManager,
  requestId: number,
  scoreId: number,
  today: string,
): Promise<boolean> {
  const [row] = await tx.execute(
    `select 1 from explanation_request r join appraisal a on a.id = r.appraisal_id join criterion_score cs on cs.id = a.criterion_score_id
       join self_assessment sa on sa.id = cs.self_assessment_id join campaign c on c.id = sa.campaign_id
      where r.id = ? and cs.id = ? and r.answered_at is null and r.due_date >= ?::date and c.state = 'appraisal' for share of r, c`,
    [requestId, scoreId, today],
  );
  return Boolean(row);
}

/** Locks the self-assessment row against a submission running at the same time, and says whether it is still a draft. */
async function stillDraft(tx: EntityManager, ctx: UnitContext): Promise<boolean> {
  const [sa] = await tx.execute<{ state: string }[]>('select state from self_assessment where id = ? for share', [
    ctx.selfAssessment.id,
  ]);
  return sa?.state === 'draft';
}
