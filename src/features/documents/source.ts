// What every council document is made from: a frozen publication (its results.json, version and SHA-256) and the
// campaign's words that do not change after publication (its name, organiser, plan, rules).
import type { EntityManager } from '@mikro-orm/postgresql';
import { Document, type FileChild } from 'docx';
import { dec, formatVi, type Places } from '../../domain/decimal.ts';
import { foldDiacritics } from '../../domain/text.ts';
import { componentNames, type PublishedUnit, type ResultsDocument } from '../publication/document.ts';
import { appraisalClosedOn } from '../publication/publish.ts';
import { findPublication, publicationDocument, type StoredPublication } from '../publication/stored.ts';
import { notSubmittedStatus } from '../../domain/standing.ts';
import { translator } from '../../i18n/catalog.ts';
import { documentStyles, packDocx, page, sourceFooter } from '../print-docx.ts';

export interface DocumentSource {
  pub: StoredPublication;
  doc: ResultsDocument;
  campaign: {
    id: number;
    code: string;
    name: string;
    year: number;
    organizer: string;
    /** The plan or decision the campaign runs under ("Kế hoạch số 142/KH-UBND …"). */
    decision: string;
    precision: number;
  };
  /** The day appraisal closed (ISO), when recorded. */
  appraisalClosed: string | null;
}

/** A campaign's publication (its newest version, or `version`) with what its documents say; null when none. */
export async function documentSource(
  em: EntityManager,
  code: string,
  version?: number,
): Promise<DocumentSource | null> {
  const pub = await findPublication(em, code, version);
  if (!pub) return null;
  const doc = await publicationDocument(em, pub.id);
  const [c] = await em.execute<{ decision: string }[]>('select decision from campaign where id = ?', [pub.campaignId]);
  return {
    pub,
    doc,
    campaign: {
      id: pub.campaignId,
      code: doc.campaign.code,
      name: doc.campaign.name,
      year: doc.campaign.year,
      organizer: doc.campaign.organizer,
      decision: c?.decision ?? '',
      precision: doc.campaign.precision,
    },
    appraisalClosed: await appraisalClosedOn(em, pub.campaignId),
  };
}

/** The footer of every document, two lines: which publication it was made from, and its results.json's SHA-256. */
export const sourceLine = (s: DocumentSource) =>
  `Lập từ kết quả công bố ${s.campaign.code}, phiên bản ${s.pub.version}\nSHA-256 của results.json: ${s.pub.sha256}`;

/** "15/QĐ-UBND" from "Quyết định số 15/QĐ-UBND" or "15/QĐ-UBND". */
export const decisionNumberOf = (s: DocumentSource) =>
  s.pub.decisionNumber.replace(/^\s*quyết định\s+(số\s+)?/i, '').trim();

/** A publication's number at the campaign's precision, with a decimal comma: 91,65. */
export function numberVi(value: number | null | undefined, s: DocumentSource): string {
  if (value === null || value === undefined) return '—';
  return formatVi(dec(value), s.campaign.precision as Places);
}

/** The words of a component's column: "Thẩm định (70)". */
export const componentHeading = (key: string, max: number) =>
  `${componentNames[key] ?? key} (${String(max).replace('.', ',')})`;

/** What the band column says of a unit that did not submit. */
export const notSubmittedWords = translator('vi')('pub.notSubmitted');
export const bandOf = (u: PublishedUnit) => (u.status === notSubmittedStatus ? notSubmittedWords : (u.band ?? '—'));

/** The blocks in the publication's order, each with its units (one block named null when the campaign has none). */
export function blocksOf(doc: ResultsDocument): { name: string | null; units: PublishedUnit[] }[] {
  const out: { name: string | null; units: PublishedUnit[] }[] = [];
  for (const u of doc.units) {
    const block = u.block ?? null;
    let b = out.find((x) => x.name === block);
    if (!b) out.push((b = { name: block, units: [] }));
    b.units.push(u);
  }
  return out;
}

/** A file's name, and its plain-ASCII twin for old clients. */
export function fileNames(
  words: string,
  s: DocumentSource,
  ext: string,
  unit?: string,
): { name: string; ascii: string } {
  const name = `${words} - ${s.campaign.name}${unit ? ` - ${unit}` : ''} - v${s.pub.version}.${ext}`;
  const slug = (t: string) =>
    foldDiacritics(t)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
  return {
    name,
    ascii: `${slug(words)}-${slug(s.campaign.code)}${unit ? `-${slug(unit)}` : ''}-v${s.pub.version}.${ext}`,
  };
}

/**
 * One council document as DOCX: A4 portrait, the house styles, the publication's version and SHA-256 in the footer, and
 * the publication's own date as the file's, so the same publication gives the same parts.
 */
export function councilDocx(s: DocumentSource, title: string, children: FileChild[]): Promise<Buffer> {
  const doc = new Document({
    creator: s.campaign.organizer,
    title,
    styles: documentStyles,
    sections: [{ properties: { page: page('portrait') }, footers: { default: sourceFooter(sourceLine(s)) }, children }],
  });
  return packDocx(doc, { title, creator: s.campaign.organizer, dated: new Date(s.pub.publishedAt) });
}
