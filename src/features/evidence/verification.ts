import type { X509Certificate } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../../db/audit.ts';
import { intArray } from '../../db/sql.ts';
import type { Outcome } from '../outcome.ts';
import { inspectFile } from './inspect.ts';
import {
  anchorSet,
  judgeSignature,
  readCertificates,
  verifyPdfSignatures,
  type FoundSignature,
  type SignatureFacts,
  type SignatureVerdict,
} from './signatures.ts';
import type { EvidenceStore } from './store.ts';

/*
 * Signature checks kept with the file's content (table evidence_signature_check, by SHA-256: run once per distinct
 * content, whoever uploads it), the trust anchors the secretariat keeps (table trust_anchor), and the verdicts the
 * pages show, judged against the current anchors.
 */

/** Verifies a just-received file's signatures unless that content was already checked. */
export async function ensureSignatureCheck(
  em: EntityManager,
  sha256: string,
  file: string,
  found: FoundSignature[],
): Promise<void> {
  if (!found.length) return;
  const [done] = await em.execute('select 1 from evidence_signature_check where sha256 = ?', [sha256]);
  if (done) return;
  const facts = await verifyPdfSignatures(file, found);
  await em.execute(
    `insert into evidence_signature_check (sha256, signatures) values (?, ?::jsonb) on conflict (sha256) do nothing`,
    [sha256, JSON.stringify(facts)],
  );
}

/**
 * Verifies a stored file's signatures again (the appraiser's or the secretariat's "verify again"): the bytes are
 * copied from the store to a temporary file (the store may be a bucket), inspected, verified, and the stored result
 * replaced; audited. False when the store no longer has the bytes.
 */
export async function verifyAgain(
  em: EntityManager,
  store: EvidenceStore,
  file: { id: number; sha256: string },
  actorId: number,
): Promise<boolean> {
  if (!(await store.has(file.sha256))) return false;
  const temp = await store.tempPath();
  try {
    const handle = await open(temp, 'wx', 0o600);
    await pipeline(store.open(file.sha256), handle.createWriteStream());
    const found = await inspectFile(temp);
    const facts = found?.kind === 'pdf' ? await verifyPdfSignatures(temp, found.signatures) : [];
    await em.transactional(async (tx) => {
      await tx.execute(
        `insert into evidence_signature_check (sha256, signatures, checked_by_id) values (?, ?::jsonb, ?)
           on conflict (sha256) do update set signatures = excluded.signatures, checked_at = now(), checked_by_id = excluded.checked_by_id`,
        [file.sha256, JSON.stringify(facts), actorId],
      );
      audit(tx, {
        actorId,
        action: 'evidence.signaturesVerified',
        entityType: 'EvidenceFile',
        entityId: file.id,
        after: { sha256: file.sha256, signatures: facts.length, valid: facts.filter((f) => f.signatureValid).length },
      });
    });
    return true;
  } finally {
    await rm(temp, { force: true });
  }
}

const uncheckedWhere = `from evidence_file ef left join evidence_signature_check sc on sc.sha256 = ef.sha256
  where ef.media_type = 'application/pdf' and ef.signed and ef.removed_at is null and sc.sha256 is null`;

/** How many distinct signed PDFs have no stored check (uploaded before verification existed, or never verified). */
export async function uncheckedCount(em: EntityManager): Promise<number> {
  const [row] = await em.execute<{ n: number }[]>(`select count(distinct ef.sha256)::int as n ${uncheckedWhere}`);
  return row?.n ?? 0;
}

/**
 * The secretariat's "verify again" for files never verified: up to `limit` distinct contents per call (a request
 * stays short), each as `verifyAgain` does it. What was done and what is left.
 */
export async function verifyUnchecked(
  em: EntityManager,
  store: EvidenceStore,
  actorId: number,
  limit = 25,
): Promise<{ done: number; left: number }> {
  const rows = await em.execute<{ id: number; sha256: string }[]>(
    `select min(ef.id) as id, ef.sha256 ${uncheckedWhere} group by ef.sha256 order by min(ef.id) limit ?`,
    [limit],
  );
  let done = 0;
  for (const r of rows) if (await verifyAgain(em, store, r, actorId)) done++;
  return { done, left: await uncheckedCount(em) };
}

// ---------------------------------------------------------------------------------------------------------------
// Verdicts

/** Parsed anchors by id: an anchor row never changes (it is added or removed whole), so a parse is kept. */
const parsedAnchors = new Map<number, X509Certificate | null>();

/** The anchors with these ids, parsed; one query only for ids not seen before. */
export async function anchorsById(em: EntityManager, ids: number[]): Promise<X509Certificate[]> {
  const missing = ids.filter((id) => !parsedAnchors.has(id));
  if (missing.length) {
    const rows = await em.execute<{ id: number; der: Buffer }[]>(
      'select id, der from trust_anchor where id = any(?::int[])',
      [intArray(missing)],
    );
    for (const r of rows) parsedAnchors.set(r.id, anchorSet([{ der: r.der }])[0] ?? null);
  }
  return ids.map((id) => parsedAnchors.get(id)).filter((c): c is X509Certificate => !!c);
}

/** The verdicts of stored facts against these anchors; null when the content was never checked. */
export function verdicts(facts: SignatureFacts[] | null, anchors: X509Certificate[]): SignatureVerdict[] | null {
  return facts ? facts.map((f) => judgeSignature(f, anchors)) : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Trust anchors

export interface TrustAnchorRow {
  id: number;
  sha256: string;
  subject: string;
  issuer: string;
  validFrom: Date;
  validTo: Date;
  ca: boolean;
  addedAt: Date;
  addedBy: string;
}

export async function listTrustAnchors(em: EntityManager): Promise<TrustAnchorRow[]> {
  const rows = await em.execute<
    {
      id: number;
      sha256: string;
      subject: string;
      issuer: string;
      valid_from: Date;
      valid_to: Date;
      ca: boolean;
      added_at: Date;
      added_by: string;
    }[]
  >(
    `select t.id, t.sha256, t.subject, t.issuer, t.valid_from, t.valid_to, t.ca, t.added_at, u.full_name as added_by
       from trust_anchor t join app_user u on u.id = t.added_by_id order by t.subject, t.id`,
  );
  return rows.map((r) => ({
    id: r.id,
    sha256: r.sha256,
    subject: r.subject,
    issuer: r.issuer,
    validFrom: new Date(r.valid_from),
    validTo: new Date(r.valid_to),
    ca: r.ca,
    addedAt: new Date(r.added_at),
    addedBy: r.added_by,
  }));
}

/**
 * Adds the certificates of an uploaded file (PEM with one or more, or DER) to the trust anchors; one already there is
 * left as it is. Refused when the bytes are no certificate.
 */
export async function addTrustAnchors(
  em: EntityManager,
  bytes: Buffer,
  actorId: number,
): Promise<Outcome<{ added: number }, 'invalid'>> {
  const certs = bytes.length ? readCertificates(bytes) : null;
  if (!certs) return { ok: false, kind: 'invalid', errors: { file: 'signatures.anchors.error.notCertificate' } };
  return em.transactional(async (tx) => {
    let added = 0;
    for (const c of certs) {
      const [row] = await tx.execute<{ id: number }[]>(
        `insert into trust_anchor (sha256, der, subject, issuer, valid_from, valid_to, ca, added_by_id)
           values (?, decode(?, 'base64'), ?, ?, ?, ?, ?, ?) on conflict (sha256) do nothing returning id`,
        [c.sha256, c.der.toString('base64'), c.subject, c.issuer, c.validFrom, c.validTo, c.ca, actorId],
      );
      if (!row) continue;
      added++;
      audit(tx, {
        actorId,
        action: 'trustAnchor.added',
        entityType: 'TrustAnchor',
        entityId: row.id,
        after: { subject: c.subject, sha256: c.sha256, validTo: c.validTo.toISOString() },
      });
    }
    return { ok: true, value: { added } } as const;
  });
}

export async function removeTrustAnchor(em: EntityManager, id: number, actorId: number): Promise<boolean> {
  if (!Number.isSafeInteger(id)) return false;
  return em.transactional(async (tx) => {
    const [row] = await tx.execute<{ subject: string; sha256: string }[]>(
      'delete from trust_anchor where id = ? returning subject, sha256',
      [id],
    );
    if (!row) return false;
    audit(tx, {
      actorId,
      action: 'trustAnchor.removed',
      entityType: 'TrustAnchor',
      entityId: id,
      before: { subject: row.subject, sha256: row.sha256 },
    });
    return true;
  });
}
