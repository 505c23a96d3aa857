import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dec, format, formatVi, sum, type Dec } from '../../src/domain/decimal.ts';
import { Browser, csrfToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { paths } from '../../src/http/paths.ts';

let t: TestApp;
let code: string;
let year: number;
let base: string;
const leaf: Record<
  'plain' | 'levels' | 'ratio' | 'sql' | 'na' | 'exempt',
  { code: string; title: string; max: string }
> = {} as never;

const sql = <T = Record<string, any>>(text: string, params: unknown[] = []) => t.orm.em.execute<T[]>(text, params);
const scoreIdOf = async (criterion: string) =>
  (
    await sql<{ id: number }>(
      `select cs.id from criterion_score cs join criterion c on c.id = cs.criterion_id join self_assessment sa on sa.id = cs.self_assessment_id
     join unit u on u.id = sa.unit_id where u.code = 'xa-truc-thanh' and c.code = ?`,
      [criterion],
    )
  )[0]!.id;

const signedIn = (username: string) => Browser.signedIn(t.app, username);

async function save(b: Browser, criterion: string, form: Record<string, string>) {
  const page = await b.get(`${base}/criteria?field=${criterion.split('.')[0]}`);
  const version =
    new RegExp(`id="c-${criterion.replaceAll('.', '-')}"[\\s\\S]*?name="version" value="(\\d+)"`).exec(
      page.body,
    )?.[1] ?? '1';
  return b.request('POST', `${base}/criteria/${criterion}`, {
    form: { _csrf: csrfToken(page.body), explanation: '', version, ...form },
  });
}

/** One entry of a ZIP archive, read through its central directory (stored or deflated). */
function zipEntry(zip: Buffer, name: string): Buffer | null {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a ZIP archive');
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('broken central directory');
    const [method, size, nameLength] = [
      zip.readUInt16LE(at + 10),
      zip.readUInt32LE(at + 20),
      zip.readUInt16LE(at + 28),
    ];
    const entryName = zip.toString('utf8', at + 46, at + 46 + nameLength);
    if (entryName === name) {
      const local = zip.readUInt32LE(at + 42);
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      return method === 8 ? inflateRawSync(data) : Buffer.from(data);
    }
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return null;
}

const xmlText = (xml: string) =>
  xml
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** What the report should say, computed here from the database: every leaf, and the totals as computeResults counts them. */
async function expected() {
  const leaves = await sql<{
    code: string;
    max_score: string;
    kind: string;
    self_score: string | null;
    not_applicable: boolean | null;
    exempt: boolean;
  }>(
    `select c.code, c.max_score, c.kind, cs.self_score, cs.not_applicable,
            exists (select 1 from exemption e where e.criterion_id = c.id and e.unit_id = sa.unit_id and e.campaign_id = sa.campaign_id) as exempt
       from campaign k
       join self_assessment sa on sa.campaign_id = k.id and sa.unit_id = (select id from unit where code = 'xa-truc-thanh')
       join criterion c on c.criteria_set_id = k.criteria_set_id
       left join criterion_score cs on cs.criterion_id = c.id and cs.self_assessment_id = sa.id
      where k.code = ? and not exists (select 1 from criterion ch where ch.parent_id = c.id)`,
    [code],
  );
  const rows = leaves.map((l) => {
    const applicable = !l.exempt && !l.not_applicable && l.kind !== 'survey';
    return {
      code: l.code,
      field: l.code.split('.')[0]!,
      max: dec(l.max_score),
      applicable,
      self: applicable && l.self_score !== null ? dec(l.self_score) : null,
    };
  });
  const total = (list: typeof rows) => ({
    self: sum(list.filter((r) => r.self !== null).map((r) => r.self!)),
    applicableMax: sum(list.filter((r) => r.applicable).map((r) => r.max)),
  });
  const fields = new Map(
    [...new Set(rows.map((r) => r.field))].map((f) => [f, total(rows.filter((r) => r.field === f))]),
  );
  return { rows, fields, total: total(rows) };
}

const asNumber = (value: Dec) => Number(format(value));

/** The unit's report as this person downloads it: a private attachment with a Vietnamese name and an ASCII fallback. */
async function download(username: string, ext: 'docx' | 'xlsx', mediaType: string) {
  const res = await (await signedIn(username)).get(`${base}/report.${ext}`);
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe(mediaType);
  expect(res.headers['cache-control']).toBe('private, no-store');
  expect(res.headers['content-disposition']).toBe(
    `attachment; filename="bao-cao-tu-danh-gia-xa-truc-thanh-${year}.${ext}"; ` +
      `filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20t%E1%BB%B1%20%C4%91%C3%A1nh%20gi%C3%A1%20-%20X%C3%A3%20Tr%E1%BB%B1c%20Thanh%20-%20${year}.${ext}`,
  );
  return res;
}

beforeAll(async () => {
  t = await startTestApp();
  [{ code, year }] = await sql<{ code: string; year: number }>('select code, year from campaign limit 1');
  base = paths.unit.campaign('xa-truc-thanh', code);
  const leaves = await sql<{ code: string; title: string; max: string; scoring: string | null }>(
    `select c.code, c.title, c.max_score as max, c.scoring from criterion c
      where c.kind = 'self' and not exists (select 1 from criterion k where k.parent_id = c.id) and c.min_score = 0 order by c.position`,
  );
  const plain = leaves.filter((l) => !l.scoring && Number(l.max) >= 1);
  leaf.plain = plain[0]!;
  leaf.sql = plain[1]!;
  leaf.na = plain[2]!;
  leaf.exempt = plain[3]!;
  leaf.levels = leaves.find((l) => l.scoring?.startsWith('levels'))!;
  leaf.ratio = leaves.find((l) => l.scoring?.startsWith('ratio'))!;

  const officer = await signedIn('canbo');
  const level = /levels:\s*([^=;]+)=/.exec(leaves.find((l) => l.code === leaf.levels.code)!.scoring!)![1]!.trim();
  for (const [criterion, form] of [
    [leaf.plain.code, { score: '0,75', explanation: 'Kế hoạch số 12/KH-UBND, mục II, trang 3' }],
    [leaf.levels.code, { level, explanation: 'Quyết định số 5/QĐ-UBND' }],
    [leaf.ratio.code, { achieved: '45', total: '50', explanation: 'Báo cáo số 7/BC-UBND, phụ lục 1' }],
  ] as const) {
    expect((await save(officer, criterion, form)).statusCode).toBe(303);
  }
  await sql(
    `update criterion_score set self_score = 0.5, explanation = 'Nhập bằng SQL', version = version + 1 where id = ?`,
    [await scoreIdOf(leaf.sql.code)],
  );
  await sql(
    `update criterion_score set self_score = null, not_applicable = true, explanation = 'Không có thủ tục', version = version + 1 where id = ?`,
    [await scoreIdOf(leaf.na.code)],
  );
  await sql(
    `update criterion_score set self_score = 1, explanation = 'Miễn nhưng có điểm', version = version + 1 where id = ?`,
    [await scoreIdOf(leaf.exempt.code)],
  );
  await sql(
    `insert into exemption (campaign_id, unit_id, criterion_id, reason)
             select k.id, u.id, c.id, 'Không có chợ' from campaign k, unit u, criterion c
              where k.code = ? and u.code = 'xa-truc-thanh' and c.code = ? and c.criteria_set_id = k.criteria_set_id`,
    [code, leaf.exempt.code],
  );
  await sql(
    `insert into evidence_file (criterion_score_id, sha256, size, media_type, original_name, document_number, document_date, issuer, uploaded_by_id, uploaded_at)
             values (?, repeat('a', 64), 1234, 'application/pdf', 'Kế hoạch CCHC năm.pdf', '12/KH-UBND', '2026-03-05', 'UBND xã Trực Thanh',
                     (select id from app_user where username = 'canbo'), now())`,
    [await scoreIdOf(leaf.plain.code)],
  );
});
afterAll(async () => {
  await t?.close();
});

describe('the self-assessment report as XLSX', () => {
  it('holds every leaf with its self score as a number, the field subtotals and the totals', async () => {
    const res = await download('canbo', 'xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    const sheet = book.getWorksheet('Tự đánh giá')!;
    let headerRow = 0;
    const byCode = new Map<string, ExcelJS.Row>();
    const byLabel = new Map<string, ExcelJS.Row>();
    sheet.eachRow((row, n) => {
      const a = row.getCell(1).value;
      if (a === 'Mã') headerRow = n;
      else if (headerRow && typeof a === 'string') byCode.set(a, row);
      else if (headerRow && typeof row.getCell(2).value === 'string') byLabel.set(row.getCell(2).value as string, row);
    });
    expect(headerRow).toBeGreaterThan(0);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: headerRow });
    expect(sheet.getColumn(2).width).toBeGreaterThan(30);
    expect(sheet.getCell(5, 1).value).toBe('Đơn vị: Xã Trực Thanh (UBND huyện Trực Ninh)');
    // Print-ready: the national heading, the title across the page, signatures, A4 landscape fitted to the width.
    expect(sheet.getCell(1, 5).value).toBe('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(sheet.getCell(2, 5).value).toBe('Độc lập - Tự do - Hạnh phúc');
    expect(sheet.getCell(2, 1).value).toBe('UBND XÃ TRỰC THANH');
    expect(sheet.getCell(1, 1).value).toBe('UBND HUYỆN TRỰC NINH');
    expect(sheet.getCell(3, 5).value).toMatch(/^Trực Thanh, ngày \d\d tháng \d\d năm \d{4}$/);
    expect(sheet.getCell(4, 1).value).toBe(`BÁO CÁO TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CCHC NĂM ${year}`);
    expect(sheet.getCell(4, 1).alignment).toMatchObject({ horizontal: 'center', wrapText: true });
    expect(sheet.model.merges).toContain('A4:J4');
    expect(sheet.pageSetup).toMatchObject({
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${headerRow}:${headerRow}`,
    });
    const texts: string[] = [];
    sheet.eachRow((row) => row.eachCell((c) => texts.push(String(c.value))));
    for (const line of ['NGƯỜI LẬP', '(Ký, ghi rõ họ tên)', 'TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH', '(Ký tên, đóng dấu)'])
      expect(texts).toContain(line);
    expect(texts.indexOf('CHỦ TỊCH')).toBeGreaterThan(texts.indexOf('Tổng cộng'));

    const want = await expected();
    expect(want.rows.length).toBeGreaterThan(100);
    for (const r of want.rows) {
      const row = byCode.get(r.code);
      expect(row, r.code).toBeDefined();
      expect(row!.getCell(3).value, r.code).toBe(asNumber(r.max));
      expect(row!.getCell(4).value ?? null, r.code).toBe(r.self === null ? null : asNumber(r.self));
    }
    expect(byCode.get(leaf.plain.code)!.getCell(4).value).toBe(0.75);
    expect(byCode.get(leaf.plain.code)!.getCell(4).numFmt).toBe('0.00');
    expect(byCode.get(leaf.plain.code)!.getCell(9).value).toBe('Kế hoạch số 12/KH-UBND, mục II, trang 3');
    expect(byCode.get(leaf.plain.code)!.getCell(10).value).toContain(
      'Số 12/KH-UBND ngày 05/03/2026, UBND xã Trực Thanh (Kế hoạch CCHC năm.pdf)',
    );
    expect(byCode.get(leaf.ratio.code)!.getCell(7).value).toBe(45);
    expect(byCode.get(leaf.ratio.code)!.getCell(8).value).toBe(50);
    expect(byCode.get(leaf.levels.code)!.getCell(6).value).toBeTruthy();
    expect(byCode.get(leaf.na.code)!.getCell(5).value).toBe('Không áp dụng');
    expect(byCode.get(leaf.exempt.code)!.getCell(5).value).toBe('Không áp dụng');
    expect(byCode.get(leaf.exempt.code)!.getCell(4).value ?? null).toBeNull();

    for (const [field, totals] of want.fields) {
      const row = byCode.get(field)!;
      expect(row.font?.bold, field).toBe(true);
      expect(row.getCell(4).value, field).toBe(asNumber(totals.self));
    }
    expect(byLabel.get('Tổng cộng')!.getCell(4).value).toBe(asNumber(want.total.self));
    expect(byLabel.get('Điểm tối đa áp dụng (trừ tiêu chí không áp dụng)')!.getCell(3).value).toBe(
      asNumber(want.total.applicableMax),
    );
    expect(want.total.self > 0n).toBe(true);

    const files = book.getWorksheet('Tài liệu kiểm chứng')!;
    expect(files.getRow(2).getCell(1).value).toBe(leaf.plain.code);
    expect(files.getRow(2).getCell(2).value).toBe('12/KH-UBND');
    expect((files.getRow(2).getCell(3).value as Date).toISOString().slice(0, 10)).toBe('2026-03-05');
  });

  it('gives a contributor only the criteria assigned to them', async () => {
    const [{ id }] = await sql<{ id: number }>(`select id from app_user where username = 'congtac'`);
    await sql('insert into criterion_assignment (criterion_score_id, user_id) values (?, ?)', [
      await scoreIdOf(leaf.sql.code),
      id,
    ]);
    const res = await (await signedIn('congtac')).get(`${base}/report.xlsx`);
    expect(res.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    const codes: string[] = [];
    book.getWorksheet('Tự đánh giá')!.eachRow((row) => {
      if (typeof row.getCell(1).value === 'string') codes.push(row.getCell(1).value as string);
    });
    expect(codes).toContain(leaf.sql.code);
    expect(codes).not.toContain(leaf.plain.code);
  });
});

describe('the self-assessment report as DOCX', () => {
  it('is a Word document with the heading, the unit, the criteria and scores in Vietnamese format', async () => {
    const res = await download(
      'chutichxa',
      'docx',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );

    expect(zipEntry(res.rawPayload, '[Content_Types].xml')).not.toBeNull();
    const xml = xmlText(zipEntry(res.rawPayload, 'word/document.xml')!.toString('utf8'));
    expect(xml).toContain('UBND XÃ TRỰC THANH');
    expect(xml).toContain('UBND HUYỆN TRỰC NINH');
    expect(xml).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(xml).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(xml).toContain(`Tự đánh giá, chấm điểm Chỉ số CCHC năm ${year}`);
    expect(xml).toContain('Đơn vị: Xã Trực Thanh.');
    expect(xml).toContain(leaf.plain.title);
    expect(xml).toContain('>0,75<');
    expect(xml).toContain('Số 12/KH-UBND ngày 05/03/2026, UBND xã Trực Thanh (Kế hoạch CCHC năm.pdf)');
    expect(xml).toContain('Số liệu kê khai: 45/50');
    expect(xml).toContain('>Không áp dụng<');
    const want = await expected();
    expect(xml).toContain(
      `Tổng điểm tự đánh giá: ${formatVi(want.total.self)}/${formatVi(want.total.applicableMax)} điểm`,
    );
    expect(xml).toContain('NGƯỜI LẬP');
    expect(xml).toContain('CHỦ TỊCH');
    expect(xml).toContain('Hoàng Văn Tuấn');
    expect(xml).toContain('Nơi nhận:');
    expect(xml).toContain('- UBND huyện Trực Ninh (để báo cáo);');
    expect(xml).toContain('- Lưu: VT.');
    // The signature block is one table row that cannot split across pages, "Nơi nhận" in it.
    const raw = zipEntry(res.rawPayload, 'word/document.xml')!.toString('utf8');
    const rows = raw.split('<w:tr>').slice(1);
    const block = rows.find((r) => r.includes('CHỦ TỊCH'))!;
    expect(block).toContain('<w:cantSplit/>');
    expect(block).toContain('Nơi nhận:');
    expect(block).toContain('NGƯỜI LẬP');
  });
});

describe('who may download it', () => {
  it("is not found for another unit's officer", async () => {
    const other = await signedIn('canbo2');
    expect((await other.get(`${base}/report.docx`)).statusCode).toBe(404);
    expect((await other.get(`${base}/report.xlsx`)).statusCode).toBe(404);
    expect((await other.get(paths.unit.report('xa-truc-dao', code, 'xlsx'))).statusCode).toBe(200);
  });

  it('sends an anonymous visitor to sign in', async () => {
    const res = await new Browser(t.app).get(`${base}/report.docx`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/sign-in?next=${encodeURIComponent(`${base}/report.docx`)}`);
  });
});
