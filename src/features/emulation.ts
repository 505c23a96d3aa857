// The emulation view (issue 18, item 4): each unit's band and index from the campaign's newest publication, with the
// proposal that follows from the campaign's rules (the secretariat's words per band: "Xuất sắc: đề nghị khen
// thưởng"), for the secretariat's page and its spreadsheet. Only published results: never a preliminary figure.
import ExcelJS from 'exceljs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../db/audit.ts';
import { spreadsheetFormat } from '../domain/decimal.ts';
import type { BandRule } from '../domain/rules-text.ts';
import { invalid, ok, type Outcome } from './outcome.ts';
import { a4LandscapeFittingWidth } from './print.ts';
import { publicationDocument } from './publication/stored.ts';

export const proposalMaxLength = 500;

export interface EmulationRow {
  block: string | null;
  rank: number | null;
  code: string;
  name: string;
  index: number | null;
  band: string | null;
  proposal: string;
}

export interface EmulationView {
  campaign: { id: number; code: string; name: string; organizer: string; precision: number };
  /** The campaign's bands, best first, each with the secretariat's proposal ('' when none). */
  rules: { band: string; proposal: string; units: number }[];
  /** Null while nothing is published. */
  version: number | null;
  rows: EmulationRow[];
}

/** The campaign's emulation view, or null for an unknown campaign. */
export async function emulationView(em: EntityManager, code: string): Promise<EmulationView | null> {
  const [c] = await em.execute<
    {
      id: number;
      code: string;
      name: string;
      organizer: string;
      precision: number;
      bands: BandRule[];
      emulation_rules: Record<string, string>;
      publication_id: number | null;
      version: number | null;
    }[]
  >(
    `select c.id, c.code, c.name, c.organizer, c.precision, c.bands, c.emulation_rules, p.id as publication_id, p.version
       from campaign c
       left join lateral (select q.id, q.version from publication q where q.campaign_id = c.id order by q.version desc limit 1) p on true
      where c.code = ?`,
    [code],
  );
  if (!c) return null;
  const proposals = c.emulation_rules ?? {};
  const doc = c.publication_id === null ? null : await publicationDocument(em, c.publication_id);
  const rows: EmulationRow[] = (doc?.units ?? []).map((u) => ({
    block: u.block ?? null,
    rank: u.rank,
    code: u.code,
    name: u.name,
    index: u.index,
    band: u.band,
    proposal: u.band ? (proposals[u.band] ?? '') : '',
  }));
  return {
    campaign: { id: c.id, code: c.code, name: c.name, organizer: c.organizer, precision: c.precision },
    rules: c.bands.map((b) => ({
      band: b.name,
      proposal: proposals[b.name] ?? '',
      units: rows.filter((r) => r.band === b.name).length,
    })),
    version: c.version,
    rows,
  };
}

/** Sets the proposals per band (every band of the campaign; an empty one means none), audited. */
export async function setEmulationRules(
  em: EntityManager,
  actorId: number,
  code: string,
  proposals: Record<string, string>,
): Promise<Outcome<null, 'invalid' | 'unknown'>> {
  const view = await emulationView(em, code);
  if (!view) return { ok: false, kind: 'unknown' };
  const clean: Record<string, string> = {};
  const errors: Record<string, string> = {};
  view.rules.forEach((rule, i) => {
    const text = (proposals[rule.band] ?? '').trim().normalize('NFC').replace(/\s+/g, ' ');
    if (text.length > proposalMaxLength) errors[`proposal${i}`] = 'emulation.error.long';
    if (text) clean[rule.band] = text;
  });
  if (Object.keys(errors).length) return invalid(errors);
  await em.transactional(async (tx) => {
    await tx.execute(`update campaign set emulation_rules = ?::jsonb where id = ?`, [
      JSON.stringify(clean),
      view.campaign.id,
    ]);
    audit(tx, {
      actorId,
      action: 'campaign.emulation-rules-set',
      entityType: 'Campaign',
      entityId: view.campaign.id,
      before: Object.fromEntries(view.rules.filter((r) => r.proposal).map((r) => [r.band, r.proposal])),
      after: clean,
    });
    await tx.flush();
  });
  return ok(null);
}

/** The view as a spreadsheet to file with the emulation proposal: A4 landscape, the heading row on every page. */
export async function emulationXlsx(
  view: EmulationView,
  words: { sheet: string; block: string; rank: string; unit: string; index: string; band: string; proposal: string },
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = view.campaign.organizer;
  const ws = wb.addWorksheet(words.sheet, {
    views: [{ state: 'frozen', ySplit: 1 }],
    pageSetup: a4LandscapeFittingWidth(0.5, 0.5),
    headerFooter: {
      oddHeader: `&C&B${view.campaign.name.replace(/&/g, '&&')} – ${words.sheet}`,
      oddFooter: '&CTrang &P / &N',
    },
  });
  const blocks = view.rows.some((r) => r.block !== null);
  const header = [...(blocks ? [words.block] : []), words.rank, words.unit, words.index, words.band, words.proposal];
  const heading = ws.addRow(header);
  heading.font = { bold: true };
  heading.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  const proposalWidth = 60;
  for (const r of view.rows) {
    const row = ws.addRow([
      ...(blocks ? [r.block ?? ''] : []),
      r.rank ?? '',
      r.name,
      r.index ?? '',
      r.band ?? '',
      r.proposal,
    ]);
    // Spreadsheet programs do not grow a row for wrapped text they did not lay out: give a long proposal its lines.
    const lines = Math.ceil(r.proposal.length / proposalWidth);
    if (lines > 1) row.height = 15 * lines;
    row.eachCell((cell, col) => {
      cell.alignment = { vertical: 'top', wrapText: col === row.cellCount };
    });
  }
  const widths = [...(blocks ? [16] : []), 7, 34, 10, 14, proposalWidth];
  ws.columns.forEach((col, i) => {
    col.width = widths[i];
  });
  ws.getColumn(header.indexOf(words.index) + 1).numFmt = spreadsheetFormat(view.campaign.precision);
  ws.pageSetup.printTitlesRow = '1:1';
  return Buffer.from(await wb.xlsx.writeBuffer());
}
