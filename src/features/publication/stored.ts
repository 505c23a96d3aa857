import type { EntityManager } from '@mikro-orm/postgresql';
import type { ResultsDocument } from './document.ts';

export interface StoredPublication {
  id: number;
  campaignId: number;
  campaignCode: string;
  version: number;
  publishedAt: string;
  decisionNumber: string;
  decisionDate: string | null;
  correctionReason: string | null;
  imported: boolean;
  sha256: string;
  csvSha256: string;
  xlsxSha256: string;
  previousSha256: string | null;
  latestVersion: number;
}

export type OpenDataFormat = 'json' | 'csv' | 'xlsx';

const columns = `p.id, p.campaign_id as "campaignId", c.code as "campaignCode", p.version, p.published_at as "publishedAt", p.decision_number as "decisionNumber",
  to_char(p.decision_date, 'YYYY-MM-DD') as "decisionDate", p.correction_reason as "correctionReason", p.imported, p.sha256, p.csv_sha256 as "csvSha256",
  p.xlsx_sha256 as "xlsxSha256", p.previous_sha256 as "previousSha256",
  (select max(version) from publication q where q.campaign_id = p.campaign_id) as "latestVersion"`;

/** A published version of a campaign (the newest when `version` is omitted), or null. Practice campaigns are never public. */
export async function findPublication(
  em: EntityManager,
  code: string,
  version?: number,
): Promise<StoredPublication | null> {
  const [row] = await em.execute<StoredPublication[]>(
    `select ${columns} from publication p join campaign c on c.id = p.campaign_id
      where c.code = ? and not c.practice and (?::int is null or p.version = ?)
      order by p.version desc limit 1`,
    [code, version ?? null, version ?? null],
  );
  return row ?? null;
}

export async function publicationVersions(em: EntityManager, campaignId: number): Promise<StoredPublication[]> {
  return em.execute(
    `select ${columns} from publication p join campaign c on c.id = p.campaign_id where p.campaign_id = ? order by p.version desc`,
    [campaignId],
  );
}

/** The exact bytes published, as they were hashed. */
export async function publicationFile(
  em: EntityManager,
  publicationId: number,
  format: OpenDataFormat,
): Promise<Buffer> {
  const column = format === 'json' ? 'results_json' : format === 'csv' ? 'results_csv' : 'results_xlsx';
  const [row] = await em.execute<Record<string, string | Buffer>[]>(
    `select ${column} as data from publication where id = ?`,
    [publicationId],
  );
  const data = row.data;
  return Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
}

/**
 * Publications never change (the database refuses it), so their parsed documents can be kept: a small bounded cache
 * saves every public page from fetching and parsing up to a megabyte of JSON. Safe with several app instances.
 */
const documents = new Map<number, Promise<ResultsDocument>>();
const keptDocuments = 16;

export function publicationDocument(em: EntityManager, publicationId: number): Promise<ResultsDocument> {
  let doc = documents.get(publicationId);
  if (doc) {
    documents.delete(publicationId);
  } else {
    doc = publicationFile(em, publicationId, 'json').then(
      (bytes) => JSON.parse(bytes.toString('utf8')) as ResultsDocument,
    );
    doc.catch(() => documents.delete(publicationId));
  }
  documents.set(publicationId, doc);
  while (documents.size > keptDocuments) documents.delete(documents.keys().next().value!);
  return doc;
}

export const mediaTypes: Record<OpenDataFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
