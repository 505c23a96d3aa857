// The council's documents from a frozen publication (issue 18, item 1): made by the real app for the secretariat
// and the chair, opened by LibreOffice (one soffice run converting every file to PDF, read back with poppler), the
// appendix's numbers equal to results.json's unit by unit, and the same publication giving the same XML parts.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { EntityManager } from '@mikro-orm/postgresql';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dec, formatVi, type Places } from '../../src/domain/decimal.ts';
import { todayInVietnam } from '../../src/domain/dates.ts';
import { APPENDIX_HEADER_ROW } from '../../src/features/documents/appendix.ts';
import type { ResultsDocument } from '../../src/features/publication/document.ts';
import { approveCampaign, publishCampaign } from '../../src/features/publication/publish.ts';
import { paths } from '../../src/http/paths.ts';
import { Browser, startTestApp, type TestApp } from '../helpers/app.ts';
import { setCampaignState, submitUnitBySql } from '../helpers/appraisal.ts';
import { seedPublishedPastYear } from '../../src/features/demo/past-year.ts';

const run = promisify(execFile);

let t: TestApp;
let code: string;
let results: ResultsDocument;
let sha256: string;
let dir: string;
/** The bytes downloaded, by file name in `dir`. */
const files = new Map<string, Buffer>();

const sql = <T = Record<string, any>>(text: string, params: unknown[] = []) =>
  t.orm.em.fork().execute<T[]>(text, params);

/** Every part of a ZIP package (DOCX, XLSX, the minutes' archive) by name. */
function unzip(data: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(data, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const parts = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            parts.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(parts));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** The text of a PDF's page (1-based), or of the whole file; poppler's pdftotext in reading order. */
async function pdfText(file: string, page?: number): Promise<string> {
  const range = page ? ['-f', String(page), '-l', String(page)] : [];
  const { stdout } = await run('pdftotext', ['-layout', ...range, file, '-']);
  return stdout;
}
async function pdfPages(file: string): Promise<number> {
  const { stdout } = await run('pdfinfo', [file]);
  return Number(/^Pages:\s+(\d+)/m.exec(stdout)?.[1]);
}

beforeAll(async () => {
  t = await startTestApp();
  // Last year published, for the report's comparison.
  await seedPublishedPastYear(t.orm, Number(todayInVietnam().slice(0, 4)) - 1);
  [{ code }] = await sql<{ code: string }>(`select code from campaign where state <> 'published' limit 1`);
  // Every unit submits (at different shares of the maximum) but Xã Trực Hưng; appraisal accepts, except two
  // criteria of Xã Trực Thanh adjusted with a reason, one after an explanation asked and answered; one on-site visit.
  const units = await sql<{ code: string }>(
    `select u.code from campaign_unit cu join unit u on u.id = cu.unit_id join campaign c on c.id = cu.campaign_id where c.code = ? order by u.code`,
    [code],
  );
  let i = 0;
  for (const u of units)
    if (u.code !== 'xa-truc-hung') await submitUnitBySql(t.orm, u.code, 0.5 + ((i++ * 7) % 10) / 20);
  await sql(
    `update appraisal set state = 'accepted', appraised_score = cs.self_score, updated_at = '2026-12-20T03:00:00Z'
       from criterion_score cs where cs.id = appraisal.criterion_score_id`,
  );
  const adjust = async (criterion: string, score: string, reason: string) =>
    sql(
      `update appraisal a set state = 'adjusted', appraised_score = ?, reason = ?, updated_at = '2026-12-21T03:00:00Z'
         from criterion_score cs, criterion c, self_assessment sa, unit u
        where cs.id = a.criterion_score_id and c.id = cs.criterion_id and sa.id = cs.self_assessment_id and u.id = sa.unit_id
          and u.code = 'xa-truc-thanh' and c.code = ? returning a.id`,
      [score, reason, criterion],
    );
  await adjust('1.1.1', '0', 'Kế hoạch ban hành sau thời hạn quy định');
  const [asked] = await adjust('1.2', '0', 'Không xuất trình được bản gốc khi kiểm tra thực tế');
  await sql(
    `insert into explanation_request (appraisal_id, message, due_date, requested_by_id, requested_at, answer, answered_at, answered_by_id)
     values (?, 'Đề nghị bổ sung văn bản chỉ đạo số 25/CV-UBND', '2026-12-19', (select id from app_user where username = 'thamdinh'),
             '2026-12-16T02:00:00Z', 'Đã bổ sung bản chụp công văn số 25/CV-UBND', '2026-12-18T02:00:00Z', (select id from app_user where username = 'canbo'))`,
    [asked!.id],
  );
  const [visit] = await sql<{ id: number }>(
    `insert into onsite_visit (campaign_id, unit_id, agency_id, visited_on, members, recorded_by_id)
     select c.id, u.id, a.id, '2026-12-17', 'Nguyễn Văn An, Trần Thị Bình', (select id from app_user where username = 'admin')
       from campaign c, unit u, agency a where c.code = ? and u.code = 'xa-truc-thanh' and a.code = 'noi-vu' returning id`,
    [code],
  );
  await sql(
    `insert into onsite_finding (visit_id, criterion_id, result, note)
     select ?, c.id, 'mismatch', 'Sổ theo dõi không có chữ ký của người lập' from criterion c join campaign k on k.criteria_set_id = c.criteria_set_id
      where k.code = ? and c.code = '1.2'`,
    [visit!.id, code],
  );
  await setCampaignState(t.orm, 'council-review');
  const em = () => t.orm.em.fork() as EntityManager;
  const [{ id: chair }] = await sql<{ id: number }>(`select id from app_user where username = 'chutich'`);
  const today = todayInVietnam();
  const approved = await approveCampaign(em(), chair, code, 'Quyết định số 15/QĐ-UBND', today, { today });
  if (!approved.ok) throw new Error(JSON.stringify(approved.errors));
  const published = await publishCampaign(em(), null, code);
  if (!published.ok) throw new Error(JSON.stringify(published.errors));
  sha256 = published.value.sha256;
  const [p] = await sql<{ results_json: string }>('select results_json from publication where sha256 = ?', [sha256]);
  results = JSON.parse(p!.results_json);
  dir = mkdtempSync(path.join(os.tmpdir(), 'cchc-docs-'));
}, 60_000);
afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the council's documents", () => {
  it('are listed for the secretariat and the chair, each downloaded with its name', async () => {
    const chair = await Browser.signedIn(t.app, 'chutich');
    const page = await chair.get(paths.council.documents(code));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(sha256);
    expect(page.body).toContain(paths.council.unitMinutes(code, 1, 'xa-truc-thanh'));
    expect((await chair.get(paths.council.campaign(code))).body).toContain(paths.council.documents(code));
    const admin = await Browser.signedIn(t.app, 'admin');
    expect((await admin.get(paths.admin.campaign(code))).body).toContain(paths.council.documents(code));
    const wanted: [string, string, Browser][] = [
      ['appendix.docx', paths.council.document(code, 1, 'appendix.docx'), chair],
      ['appendix-table.xlsx', paths.council.document(code, 1, 'appendix.xlsx'), admin],
      ['report.docx', paths.council.document(code, 1, 'report.docx'), chair],
      ['minutes.docx', paths.council.unitMinutes(code, 1, 'xa-truc-thanh'), admin],
      ['minutes.zip', paths.council.document(code, 1, 'minutes.zip'), chair],
    ];
    for (const [name, url, who] of wanted) {
      const res = await who.get(url);
      expect(res.statusCode, url).toBe(200);
      expect(String(res.headers['content-disposition'])).toMatch(/^attachment; filename="[^"]+"; filename\*=UTF-8''/);
      files.set(name, res.rawPayload);
      writeFileSync(path.join(dir, name), res.rawPayload);
    }
    expect(files.get('minutes.docx')!.subarray(0, 2).toString()).toBe('PK');
    // An unknown version goes back to the page; an unknown unit is not found.
    expect((await chair.get(paths.council.document(code, 9, 'report.docx'))).statusCode).toBe(303);
    expect((await chair.get(paths.council.unitMinutes(code, 1, 'xa-khong-co'))).statusCode).toBe(404);
  });

  it("the appendix's numbers are results.json's, unit by unit", async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(files.get('appendix-table.xlsx')! as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const header = (sheet.getRow(APPENDIX_HEADER_ROW).values as unknown[]).slice(1);
    const keys = results.composition.map((c) => c.key);
    expect(header.slice(0, 4)).toEqual(['Khối', 'Hạng', 'Mã đơn vị', 'Tên đơn vị']);
    const rows = new Map<string, unknown[]>();
    for (let r = APPENDIX_HEADER_ROW + 1; r <= APPENDIX_HEADER_ROW + results.units.length; r++) {
      const values = (sheet.getRow(r).values as unknown[]).slice(1);
      rows.set(String(values[2]), values);
    }
    expect(rows.size).toBe(results.units.length);
    for (const u of results.units) {
      const row = rows.get(u.code)!;
      expect(row, u.code).toBeDefined();
      expect(row[1] ?? null, u.code).toBe(u.rank);
      expect(row[3]).toBe(u.name);
      for (const [i, k] of keys.entries()) expect(row[4 + i] ?? null, `${u.code} ${k}`).toBe(u.components[k] ?? null);
      expect(row[4 + keys.length] ?? null, u.code).toBe(u.index);
      expect(row[5 + keys.length]).toBe(u.band ?? 'Không nộp báo cáo tự đánh giá');
    }
  });

  it("the same publication gives the same parts, and the archive holds every unit's minutes", async () => {
    const chair = await Browser.signedIn(t.app, 'chutich');
    for (const [name, url] of [
      ['appendix.docx', paths.council.document(code, 1, 'appendix.docx')],
      ['report.docx', paths.council.document(code, 1, 'report.docx')],
      ['minutes.docx', paths.council.unitMinutes(code, 1, 'xa-truc-thanh')],
    ] as const) {
      const again = await unzip((await chair.get(url)).rawPayload);
      const first = await unzip(files.get(name)!);
      expect([...again.keys()], name).toEqual([...first.keys()]);
      for (const [part, bytes] of first) expect(again.get(part)!.equals(bytes), `${name} ${part}`).toBe(true);
      expect(first.get('docProps/core.xml')!.toString()).toContain(results.publishedAt.replace(/\.\d{3}Z$/, 'Z'));
    }
    const archive = await unzip(files.get('minutes.zip')!);
    expect(archive.size).toBe(results.units.length);
    const mine = [...archive.keys()].find((n) => n.startsWith('xa-truc-thanh - '))!;
    expect(mine).toBe('xa-truc-thanh - Biên bản thẩm định - Xã Trực Thanh.docx');
    const inside = await unzip(archive.get(mine)!);
    const alone = await unzip(files.get('minutes.docx')!);
    expect(inside.get('word/document.xml')!.equals(alone.get('word/document.xml')!)).toBe(true);
  });

  it("LibreOffice opens each: the heading, a unit's row, the signature block on one page, the source in the footer", async () => {
    const names = ['appendix.docx', 'appendix-table.xlsx', 'report.docx', 'minutes.docx'];
    // One soffice run for all four (it is slow to start), with a profile of its own.
    await run(
      'soffice',
      [
        `-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`,
        '--headless',
        '--convert-to',
        'pdf',
        '--outdir',
        path.join(dir, 'pdf'),
        ...names.map((n) => path.join(dir, n)),
      ],
      { timeout: 120_000 },
    );
    const pdf = (name: string) => path.join(dir, 'pdf', `${name}.pdf`);
    const precision = results.campaign.precision as Places;
    const trucThanh = results.units.find((u) => u.code === 'xa-truc-thanh')!;
    const indexText = formatVi(dec(trucThanh.index!), precision);
    const footer = sha256;
    /** Every page's text; the page of "Nơi nhận" also has the signer and "Lưu: VT.". */
    const signatureOnOnePage = async (file: string, signer: string) => {
      const pages = await pdfPages(file);
      const texts = await Promise.all(Array.from({ length: pages }, (_, i) => pdfText(file, i + 1)));
      const at = texts.findIndex((x) => x.includes('Nơi nhận:'));
      expect(at, `${file}: "Nơi nhận" found`).toBeGreaterThanOrEqual(0);
      expect(texts[at], `${file}: the signer on the page of "Nơi nhận"`).toContain(signer);
      expect(texts[at]).toContain('Lưu: VT.');
      return { pages, texts, all: texts.join('\n') };
    };
    const rowOf = (text: string, name: string) => text.split('\n').find((line) => line.includes(name)) ?? '';

    const appendix = await signatureOnOnePage(pdf('appendix'), 'CHỦ TỊCH');
    expect(appendix.pages).toBeLessThanOrEqual(2);
    expect(appendix.all).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(appendix.all).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(appendix.all).toContain('Số: 15/QĐ-UBND');
    expect(appendix.all).toContain('PHỤ LỤC');
    expect(rowOf(appendix.all, 'Xã Trực Thanh')).toContain(indexText);
    expect(rowOf(appendix.all, 'Xã Trực Thanh')).toContain(trucThanh.band!);
    expect(appendix.texts[0]).toContain(footer);

    const table = await signatureOnOnePage(pdf('appendix-table'), 'CHỦ TỊCH');
    expect(table.all).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(rowOf(table.all, 'Xã Trực Thanh')).toContain(trucThanh.band!);

    const report = await signatureOnOnePage(pdf('report'), 'TỔ TRƯỞNG');
    expect(report.all).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(report.all).toContain('BÁO CÁO');
    expect(report.all).toContain('So sánh với năm trước');
    expect(report.all).toMatch(/trong 20 đơn vị có/);
    expect(report.all).toContain(`Năm ${results.campaign.year - 1}`);
    expect(report.all).toContain('Các tiêu chí nhiều đơn vị bị mất điểm nhất');
    expect(report.texts.at(-1)).toContain(footer);

    const minutes = await signatureOnOnePage(pdf('minutes'), 'ĐẠI DIỆN ĐƠN VỊ');
    expect(minutes.all).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(minutes.all).toContain('BIÊN BẢN');
    expect(minutes.all).toContain('KHÁC ĐIỂM TỰ CHẤM (2)');
    expect(minutes.all).toContain('Xã Trực Thanh');
    expect(minutes.all).toContain('Kế hoạch ban');
    expect(minutes.all).toContain('Phòng Nội vụ');
    expect(minutes.all).toContain('21/12/2026');
    expect(minutes.all).toContain('Đã bổ sung bản chụp công văn');
    expect(minutes.all).toContain('Sổ theo dõi không có chữ ký');
    expect(minutes.texts.at(-1)).toContain(footer);
    expect(minutes.texts.at(-1)).toContain('TM. HỘI ĐỒNG THẨM ĐỊNH');
  }, 180_000);
});
