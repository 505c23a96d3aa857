import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishCampaign } from '../../src/features/publication/publish.ts';
import { importWorkbook } from '../../src/features/workbook/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { buildWorkbook, samplesDir, validSheets, type Sheets } from '../helpers/workbook.ts';
import { paths } from '../../src/http/paths.ts';

interface ResultsJson {
  campaign: { code: string; precision: number };
  version: number;
  composition: { key: string; max: number }[];
  units: {
    code: string;
    name: string;
    rank: number;
    index: number;
    band: string;
    components: Record<string, number>;
    fields: { code: string; score: number }[];
  }[];
}
interface Expected {
  code: string;
  rank: number;
  index: number;
  band: string;
  components: Record<string, number>;
}

let t: TestApp;
/** SQL statements the app has issued so far. */
let statements = 0;
const em = (): EntityManager => t.orm.em.fork() as EntityManager;
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

async function importAndPublish(data: Uint8Array): Promise<string> {
  const imported = await importWorkbook(em(), data, { actorId: null });
  if (!imported.ok) throw new Error(JSON.stringify(imported.errors));
  const published = await publishCampaign(em(), null, imported.summary.code, { imported: true });
  if (!published.ok) throw new Error(JSON.stringify(published.errors));
  return imported.summary.code;
}

const sample = (name: string) => readFileSync(new URL(name, samplesDir));

/** A campaign at the edges: shared ranks, indexes exactly at band bounds, a not-applicable criterion, a unit known by components only. */
function edgeSheets(code: string, year: number, shift = 0): Sheets {
  const sheets = validSheets(code);
  sheets.campaign = sheets.campaign!.map((row) => (row[0] === 'year' ? ['year', year] : row));
  const extra: [string, string, number, number][] = [
    ['xa-c', 'Xã Trực Đạo', 70, 25], // 95: Xuất sắc, at its bound
    ['xa-d', 'Thị trấn Cổ Lễ', 69.99, 25], // 94.99: Tốt
    ['xa-e', 'Xã Trực Thanh', 60, 25], // 85: Tốt, at its bound, rank shared with xa-f
    ['xa-f', 'Xã Phương Định', 60, 25],
    ['xa-g', 'Xã Trực Hùng', 59.99, 25], // 84.99: Khá
    ['xa-h', 'Xã Liêm Hải', 45, 25], // 70: Trung bình, at its bound
    ['xa-i', 'Xã Việt Hùng', 44.99, 25], // 69.99: Yếu
  ];
  for (const [unit, name, appraisal, survey] of extra) {
    sheets.units!.push([unit, name, 'xã', 'huyen-thu']);
    sheets.components!.push([unit, Math.max(0, appraisal - shift), survey]);
  }
  return sheets;
}

const syllables = [
  'An',
  'Bình',
  'Cát',
  'Đông',
  'Giao',
  'Hải',
  'Hồng',
  'Khánh',
  'Liêm',
  'Minh',
  'Nghĩa',
  'Phúc',
  'Quang',
  'Tân',
  'Thanh',
  'Trực',
  'Việt',
  'Xuân',
  'Yên',
  'Đạo',
  'Cổ',
  'Lễ',
  'Phương',
  'Định',
  'Hùng',
  'Nội',
  'Thuận',
  'Chính',
  'Mỹ',
  'Lộc',
  'Hòa',
  'Thịnh',
  'Trung',
  'Đại',
  'Tiến',
  'Hưng',
  'Lợi',
  'Sơn',
  'Thủy',
  'Phong',
  'Long',
  'Vân',
  'Hà',
  'Nam',
  'Bắc',
  'Tây',
  'Kim',
  'Ngọc',
];

/** Deterministic pseudo-random numbers (mulberry32), so that the generated names and scores are as varied as real ones. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` communes with varied names under the edge campaign's district: 8 fields of 3 criteria, scored and surveyed, or by components only. */
function bigSheets(code: string, year: number, componentsOnly: boolean, count = 200): Sheets {
  const next = random(2024);
  const pick = () => syllables[Math.floor(next() * syllables.length)]!;
  const sheets = validSheets(code);
  sheets.campaign = sheets.campaign!.map((row) => (row[0] === 'year' ? ['year', year] : row));
  // Under the district imported with the edge campaign, so that exactly these communes are assessed.
  sheets.units = [['code', 'name', 'kind', 'parent_code']];
  const criteria: Sheets[string] = [sheets.criteria![0]!];
  for (let f = 1; f <= 8; f++) {
    criteria.push([String(f), `Lĩnh vực cải cách số ${f}`, null, 0, 'self', 'NV', 'no', null, null]);
    for (let c = 1; c <= 3; c++)
      criteria.push([`${f}.${c}`, `Tiêu chí ${f}.${c}`, 2 + c, 0, 'self', null, 'no', null, null]);
  }
  sheets.criteria = criteria;
  sheets.scores = [sheets.scores![0]!];
  sheets.survey = [sheets.survey![0]!];
  sheets.components = [['unit_code', 'appraisal', 'survey']];
  const names = new Set<string>();
  for (let i = 0; i < count; i++) {
    let name: string;
    do name = `${next() < 0.1 ? 'Thị trấn' : 'Xã'} ${pick()} ${pick()}${count > 1000 ? ` ${pick()}` : ''}`;
    while (names.has(name));
    names.add(name);
    const unit = `xa-${String(i + 1).padStart(3, '0')}`;
    sheets.units.push([unit, name, 'xã', 'huyen-thu']);
    const r = random(i + 1);
    if (componentsOnly) {
      sheets.components.push([unit, Math.round(4000 + r() * 3000) / 100, Math.round(1500 + r() * 1500) / 100]);
      continue;
    }
    for (let f = 1; f <= 8; f++) {
      for (let c = 1; c <= 3; c++) {
        const max = 2 + c;
        const appraised = max - Math.floor(r() * 5) * 0.25;
        sheets.scores.push([
          unit,
          `${f}.${c}`,
          max,
          appraised,
          'no',
          null,
          appraised < max ? 'Thiếu tài liệu kiểm chứng' : null,
        ]);
      }
    }
    sheets.survey.push([unit, 50 + Math.floor(r() * 100), 0, 8]);
    const row = sheets.survey.at(-1)!;
    row[2] = Math.floor((row[1] as number) * 8 * (0.6 + r() * 0.4));
  }
  return sheets;
}

/** The ranking table's rows as the page shows them. */
function rankingRows(html: string): { rank: number; unit: string; name: string; cells: string[] }[] {
  const table = /<table class="grid[^"]*" id="ranking-table">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  const body = /<tbody>([\s\S]*)<\/tbody>/.exec(table)?.[1] ?? '';
  return [
    ...body.matchAll(
      /<tr><td>(\d+)<\/td><th scope="row"><a href="[^"]*\/units\/([^"?]+)[^"]*">([^<]*)<\/a><\/th>(.*?)<\/tr>/g,
    ),
  ].map((m) => ({
    rank: Number(m[1]),
    unit: m[2]!,
    name: m[3]!,
    cells: [...m[4]!.matchAll(/<td>([^<]*)<\/td>/g)].map((c) => c[1]!),
  }));
}

const vi = (n: number, places: number) => n.toFixed(places).replace('.', ',');

async function get(url: string, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'GET', url, headers });
}

async function resultsJson(code: string, version?: number): Promise<{ doc: ResultsJson; bytes: Buffer }> {
  const res = await get(
    version ? `/open-data/${code}/v/${version}/results.json` : paths.published.openData(code, 'json'),
  );
  expect(res.statusCode).toBe(200);
  return { doc: JSON.parse(res.body) as ResultsJson, bytes: res.rawPayload };
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

let district: string;
let province: string;
let edge: string;
let big: string;
beforeAll(async () => {
  t = await startTestApp({
    seed: false,
    onQuery: (sql) => {
      if (/\b(select|insert|update|delete)\b/i.test(sql)) statements++;
    },
  });
  district = await importAndPublish(sample('sample-district-2020.xlsx'));
  province = await importAndPublish(sample('sample-province-2023.xlsx'));
  await importAndPublish(await buildWorkbook(edgeSheets('bien-2023', 2023, 5)));
  edge = await importAndPublish(await buildWorkbook(edgeSheets('bien-2024', 2024)));
  await importAndPublish(await buildWorkbook(bigSheets('lon-2024', 2024, true)));
  big = await importAndPublish(await buildWorkbook(bigSheets('lon-2025', 2025, false)));
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('the campaign page', () => {
  it.each([
    ['sample-district-2020', () => district],
    ['sample-province-2023', () => province],
  ])('shows the ranking of %s exactly as results.json and the expected table', async (name, code) => {
    const expected = JSON.parse(readFileSync(new URL(`${name}.expected.json`, samplesDir), 'utf8')) as (Expected & {
      precision: number;
    })[];
    const { doc } = await resultsJson(code());
    const res = await get(paths.published.campaign(code()));
    expect(res.statusCode).toBe(200);
    const rows = rankingRows(res.body);
    const places = doc.campaign.precision;
    expect(rows.map((r) => r.unit)).toEqual(doc.units.map((u) => u.code));
    expect(rows.map((r) => r.unit)).toEqual(expected.map((u) => u.code));
    for (const [i, r] of rows.entries()) {
      const u = doc.units[i]!;
      const e = expected[i]!;
      expect(r.rank).toBe(u.rank);
      expect(r.rank).toBe(e.rank);
      expect(r.cells[0]).toBe(vi(u.index, places));
      expect(r.cells[0]).toBe(vi(e.index, e.precision));
      expect(r.cells[1]).toBe(u.band);
      expect(r.cells[1]).toBe(e.band);
      expect(r.cells.slice(2, 2 + doc.composition.length)).toEqual(
        doc.composition.map((c) => vi(u.components[c.key]!, places)),
      );
      expect(r.cells.slice(2, 2 + doc.composition.length)).toEqual(
        doc.composition.map((c) => vi(e.components[c.key]!, places)),
      );
    }
  });

  it('keeps three decimals and truncation where the campaign says so', async () => {
    const res = await get(paths.published.campaign(province));
    const rows = rankingRows(res.body);
    expect(rows[0]!.cells[0]).toBe('97,425');
    expect(rows.find((r) => r.unit === 'so-mau-4')!.cells[0]).toBe('86,300');
    expect(res.body).toContain('Công bố ');
  });

  it('shares ranks, puts indexes at a bound in that band and shows a not-applicable criterion', async () => {
    const { doc } = await resultsJson(edge);
    const rows = rankingRows((await get(paths.published.campaign(edge))).body);
    const row = (unit: string) => rows.find((r) => r.unit === unit)!;
    expect(rows.map((r) => [r.unit, r.rank, r.cells[0], r.cells[1]])).toEqual(
      doc.units.map((u) => [u.code, u.rank, vi(u.index, 2), u.band]),
    );
    expect([row('xa-c').cells[0], row('xa-c').cells[1]]).toEqual(['95,00', 'Xuất sắc']);
    expect([row('xa-d').cells[0], row('xa-d').cells[1]]).toEqual(['94,99', 'Tốt']);
    expect([row('xa-e').cells[0], row('xa-e').cells[1]]).toEqual(['85,00', 'Tốt']);
    expect([row('xa-g').cells[0], row('xa-g').cells[1]]).toEqual(['84,99', 'Khá']);
    expect([row('xa-h').cells[0], row('xa-h').cells[1]]).toEqual(['70,00', 'Trung bình']);
    expect([row('xa-i').cells[0], row('xa-i').cells[1]]).toEqual(['69,99', 'Yếu']);
    expect(row('xa-e').rank).toBe(row('xa-f').rank);
    const next = rows[rows.findIndex((r) => r.unit === 'xa-f') + 1]!;
    expect(next.rank).toBe(row('xa-e').rank + 2);

    const unit = await get(paths.published.unit(edge, 'xa-b'));
    expect(unit.statusCode).toBe(200);
    expect(unit.body).toMatch(
      /1\.1 Tiêu chí 1\.1<\/th><td class="num"[^>]*>4<\/td><td colspan="3">Không áp dụng<\/td>/,
    );
  });

  it("compares with the same units' previous published campaign", async () => {
    const res = await get(paths.published.campaign(edge));
    expect(res.body).toContain('So với 2023');
    expect(res.body).toContain('href="/campaigns/bien-2023"');
    const rows = rankingRows(res.body);
    const last = (unit: string) => rows.find((r) => r.unit === unit)!.cells.at(-1);
    // 2023 had every extra unit 5 appraisal points lower; xa-a and xa-b scored the same and huyen-thu kept its components.
    const before = rankingRows((await get('/campaigns/bien-2023')).body);
    const was = (unit: string) => before.find((r) => r.unit === unit)!.rank;
    const now = (unit: string) => rows.find((r) => r.unit === unit)!.rank;
    expect(last('xa-c')).toBe(`${was('xa-c') > now('xa-c') ? `▲ ${was('xa-c') - now('xa-c')} bậc` : '= hạng'}, +5,00`);
    expect(last('huyen-thu')).toMatch(/^(▼ \d+ bậc|= hạng), 0,00$/);
    expect((await get('/campaigns/bien-2023')).body).not.toContain('So với');
  });

  it('sorts by plain links: by name in Vietnamese order, by a component, by index', async () => {
    const byName = rankingRows((await get(paths.published.campaign(edge, { sort: 'name' }))).body).map((r) => r.name);
    expect(byName).toEqual([...byName].sort(new Intl.Collator('vi').compare));
    // Đ follows D in Vietnamese, where code points would put it after every Latin letter.
    expect(byName.indexOf('Xã Trực Đạo')).toBeLessThan(byName.indexOf('Xã Trực Hùng'));
    const bySurvey = rankingRows((await get(paths.published.campaign(edge, { sort: 'survey' }))).body).map((r) =>
      Number(r.cells[3]!.replace(',', '.')),
    );
    expect(bySurvey).toEqual([...bySurvey].sort((a, b) => b - a));
    const page = (await get(paths.published.campaign(edge, { sort: 'survey' }))).body;
    expect(page).toMatch(/<th scope="col" aria-sort="descending"><a href="\?sort=survey">Khảo sát<\/a><\/th>/);
    expect(page).toContain('<a href="/campaigns/bien-2024">Chỉ số</a>');
  });

  it('finds units without diacritics', async () => {
    for (const q of ['truc dao', 'TRUC DAO', 'Trực Đạo', 'trực  đạo']) {
      const res = await get(`/campaigns/${edge}?q=${encodeURIComponent(q)}`);
      expect(
        rankingRows(res.body).map((r) => r.name),
        q,
      ).toEqual(['Xã Trực Đạo']);
      expect(res.body).toContain('Tìm thấy 1 / 10 đơn vị.');
    }
    expect(
      rankingRows((await get(paths.published.campaign(edge, { q: 'truc' }))).body)
        .map((r) => r.name)
        .sort(),
    ).toEqual(['Xã Trực Đạo', 'Xã Trực Hùng', 'Xã Trực Thanh'].sort());
    const none = await get(paths.published.campaign(edge, { q: 'khong-co' }));
    expect(rankingRows(none.body)).toEqual([]);
    expect(none.body).toContain('Không có đơn vị nào khớp với “khong-co”.');
  });

  it('shows the band counts with an accessible chart, the averages and spreads', async () => {
    const body = (await get(paths.published.campaign(edge))).body;
    expect(body).toContain('Xuất sắc <strong>1</strong> · Tốt <strong>');
    expect(body).toMatch(
      /<svg class="chart"[^>]* role="img" aria-labelledby="bands-chart"><title id="bands-chart">Số đơn vị theo xếp loại: Xuất sắc 1, Tốt \d+, Khá \d+, Trung bình \d+, Yếu \d+<\/title>/,
    );
    const { doc } = await resultsJson(edge);
    const indexes = doc.units.map((u) => u.index);
    const mean = indexes.reduce((a, b) => a + b, 0) / indexes.length;
    expect(body).toContain(
      `<th scope="row">Chỉ số</th><td class="num" data-label="Tối đa">100</td><td class="num" data-label="Trung bình">${vi(Math.round(mean * 100) / 100, 2)}</td><td class="num" data-label="Thấp nhất – cao nhất">${vi(Math.min(...indexes), 2)} – ${vi(Math.max(...indexes), 2)}</td>`,
    );
    // Field 1 counts both scored units (xa-b without its criterion 1.1); components-only units have no fields.
    expect(body).toMatch(
      /<th scope="row">1\. Lĩnh vực 1<\/th><td class="num" data-label="Tối đa">10<\/td><td class="num" data-label="Trung bình">[\d,]+<\/td><td class="num" data-label="Thấp nhất – cao nhất">[\d,]+ – [\d,]+<\/td><td class="num" data-label="Số đơn vị">2<\/td>/,
    );
  });

  it('speaks English through the language cookie, with English numbers', async () => {
    const res = await get(paths.published.campaign(district), { cookie: 'cchc_lang=en' });
    expect(res.body).toContain('<html lang="en">');
    expect(res.body).toContain('Ranking');
    expect(rankingRows(res.body)[0]!.cells[0]).toBe('88.56');
  });
});

describe('open data', () => {
  it('serves the same numbers as JSON, CSV with its BOM and XLSX', async () => {
    for (const code of [district, province, edge]) {
      const { doc } = await resultsJson(code);
      const csv = await get(paths.published.openData(code, 'csv'));
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toBe(`attachment; filename="${code}-v${doc.version}-results.csv"`);
      expect([...csv.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const [header, ...body] = parseCsv(csv.rawPayload.toString('utf8').slice(1));
      const keys = doc.composition.map((c) => c.key);
      expect(header!.slice(0, 5 + keys.length)).toEqual(['rank', 'unit_code', 'unit_name', 'index', 'band', ...keys]);
      const fieldCodes = header!.slice(5 + keys.length).map((h) => h.replace(/^field_/, ''));

      const xlsx = await get(paths.published.openData(code, 'xlsx'));
      expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.rawPayload as unknown as ExcelJS.Buffer);
      const sheet = book.worksheets[0]!;
      // The same columns as the CSV, headed in words for people: the fields with their titles.
      const headings = (sheet.getRow(1).values as string[]).slice(1);
      expect(headings.length).toBe(header!.length);
      expect(headings.slice(0, 5)).toEqual(['Hạng', 'Mã đơn vị', 'Tên đơn vị', 'Chỉ số CCHC', 'Xếp loại']);
      for (const [i, f] of fieldCodes.entries())
        expect(headings[5 + keys.length + i]).toMatch(new RegExp(`^Lĩnh vực ${f} – .`));

      expect(body.length).toBe(doc.units.length);
      doc.units.forEach((u, i) => {
        const fields = fieldCodes.map((f) => u.fields.find((x) => x.code === f)?.score ?? null);
        const expected = [u.rank, u.code, u.name, u.index, u.band, ...keys.map((k) => u.components[k]!), ...fields];
        expect(
          body[i]!.map((cell, c) => (typeof expected[c] === 'number' ? Number(cell) : cell === '' ? null : cell)),
        ).toEqual(expected);
        const cells = sheet.getRow(i + 2).values as unknown[];
        expect(expected.map((_, c) => cells[c + 1] ?? null)).toEqual(expected);
      });
    }
  });

  it('shows beside each download the SHA-256 of the bytes served', async () => {
    const page = (await get(paths.published.campaign(district))).body;
    for (const format of ['json', 'csv', 'xlsx']) {
      const url = `/open-data/${district}/v/1/results.${format}`;
      const res = await get(url);
      const hash = sha256(res.rawPayload);
      expect(page).toMatch(
        new RegExp(
          `<a href="${url.replaceAll('.', '\\.')}" download>[A-Za-z]+</a> <span class="sha">SHA-256 ${hash}</span>`,
        ),
      );
      expect(res.headers.etag).toBe(`"${hash}"`);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(sha256((await get(`/open-data/${district}/results.${format}`)).rawPayload)).toBe(hash);
    }
  });

  it('answers 404 for an unknown campaign, version or format', async () => {
    for (const url of [
      '/open-data/khong-co/results.json',
      `/open-data/${district}/results.pdf`,
      paths.published.openData(district, 'json', 9),
      `/open-data/${district}/v/0/results.csv`,
      `/open-data/${district}/v/abc/results.csv`,
    ])
      expect((await get(url)).statusCode, url).toBe(404);
  });
});

describe('a correction', () => {
  it('publishes a new version and keeps the earlier one readable, marked as not the newest', async () => {
    const before = await resultsJson(edge, 1);
    await em().execute(
      `update component_points set points = 70 where key = 'appraisal'
          and unit_id = (select id from unit where code = 'xa-d') and campaign_id = (select id from campaign where code = ?)`,
      [edge],
    );
    const corrected = await publishCampaign(em(), null, edge, {
      correctionReason: 'Sửa điểm thẩm định của Thị trấn Cổ Lễ',
    });
    expect(corrected.ok).toBe(true);

    const newest = await get(paths.published.campaign(edge));
    expect(newest.body).toContain('Phiên bản 2');
    expect(newest.body).toContain('Sửa điểm thẩm định của Thị trấn Cổ Lễ');
    expect(newest.body).not.toContain('không phải phiên bản mới nhất');
    expect(
      rankingRows(newest.body)
        .find((r) => r.unit === 'xa-d')!
        .cells.slice(0, 2),
    ).toEqual(['95,00', 'Xuất sắc']);
    expect(newest.body).toContain(
      `SHA-256 tệp JSON của phiên bản trước: <span class="sha">${sha256(before.bytes)}</span>`,
    );

    const old = await get(paths.published.campaign(edge, { v: 1 }));
    expect(old.statusCode).toBe(200);
    expect(old.body).toContain('Đây là phiên bản 1, không phải phiên bản mới nhất.');
    expect(old.body).toContain(`<a href="/campaigns/${edge}">Xem phiên bản mới nhất (phiên bản 2)</a>`);
    expect(
      rankingRows(old.body)
        .find((r) => r.unit === 'xa-d')!
        .cells.slice(0, 2),
    ).toEqual(['94,99', 'Tốt']);
    expect(old.body).toContain(`href="/campaigns/${edge}/units/xa-d?v=1"`);
    const oldUnit = await get(paths.published.unit(edge, 'xa-d', { v: 1 }));
    expect(oldUnit.body).toContain('<dd>94,99</dd>');
    expect((await get(paths.published.unit(edge, 'xa-d'))).body).toContain('<dd>95,00</dd>');

    const v1 = await resultsJson(edge, 1);
    expect(v1.bytes.equals(before.bytes)).toBe(true);
    const v2 = await resultsJson(edge);
    expect(v2.doc.version).toBe(2);
    expect(old.body).toContain(`SHA-256 ${sha256(v1.bytes)}`);
    expect(newest.body).toContain(`SHA-256 ${sha256(v2.bytes)}`);
  });
});

describe('the unit page', () => {
  it('shows index, rank, band, components, the trend and each field and criterion', async () => {
    const res = await get(paths.published.unit(edge, 'xa-a'));
    expect(res.statusCode).toBe(200);
    const { doc } = await resultsJson(edge);
    const u = doc.units.find((x) => x.code === 'xa-a')!;
    expect(res.body).toContain(`<dd>${vi(u.index, 2)}</dd>`);
    expect(res.body).toContain(`<dt>Hạng</dt><dd>${u.rank} / ${doc.units.length}</dd>`);
    expect(res.body).toContain(`<dd>${u.band}</dd>`);
    expect(res.body).toContain(`<dd>${vi(u.components.appraisal!, 2)}</dd>`);
    // The trend: both years, in a chart with its values as text and in a table.
    expect(res.body).toMatch(
      /<title id="trend-chart">Chỉ số của Xã A qua các năm: 2023: [\d,]+, 2024: [\d,]+<\/title>/,
    );
    expect(res.body).toContain('<a href="/campaigns/bien-2023/units/xa-a">');
    expect(res.body).toMatch(
      /<title id="fields-chart">Điểm thẩm định từng lĩnh vực so với điểm tối đa: 1: 9,5 \/ 10, 2: 8 \/ 10<\/title>/,
    );
    // Self 4, appraised 3.5, with the appraiser's reason; 1.2 agrees and shows no reason.
    expect(res.body).toMatch(
      /1\.1 Tiêu chí 1\.1<\/th><td class="num"[^>]*>4<\/td><td class="num"[^>]*>4<\/td><td class="num"[^>]*><strong><span aria-hidden="true">≠ <\/span>3,5<\/strong>.*?<td data-label="[^"]*">Thiếu một tài liệu<\/td>/,
    );
    expect(res.body).toMatch(
      /1\.2 Tiêu chí 1\.2<\/th><td class="num"[^>]*>6<\/td><td class="num"[^>]*>6<\/td><td class="num"[^>]*>6<\/td><td data-label="[^"]*"><\/td>/,
    );
    expect(res.body).toContain('<details class="field">');
  });

  it('says so for a unit imported from component points only', async () => {
    const res = await get(paths.published.unit(edge, 'huyen-thu'));
    expect(res.body).toContain('không có điểm theo lĩnh vực và tiêu chí');
    expect(res.body).not.toContain('<details');
  });

  it('answers 404 for a unit not in the campaign', async () => {
    expect((await get(paths.published.unit(edge, 'khong-co'))).statusCode).toBe(404);
    expect((await get(paths.published.unit(district, 'xa-a'))).statusCode).toBe(404);
  });
});

describe('the methodology page', () => {
  it('explains the composition, bands, rounding and the criteria with maxima', async () => {
    const res = await get(paths.published.methodology(province));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Thẩm định: tối đa 100 điểm.');
    expect(res.body).toContain('Xuất sắc: từ 95 điểm');
    expect(res.body).toContain('3 chữ số thập phân; các chữ số sau đó bị cắt bỏ, không làm tròn.');
    const edgePage = (await get(paths.published.methodology(edge))).body;
    expect(edgePage).toContain('Khảo sát: tối đa 30 điểm.');
    expect(edgePage).toMatch(
      /<tr class="depth-0"><th scope="row"><strong>1\. Lĩnh vực 1<\/strong><\/th><td class="num"[^>]*>10<\/td><\/tr>/,
    );
    expect(edgePage).toMatch(
      /<tr class="depth-1"><th scope="row">2\.3 Điểm trừ<\/th><td class="num"[^>]*>-2 … 0<\/td><\/tr>/,
    );
  });
});

describe('caching and privacy', () => {
  const pages = () => [
    paths.published.campaign(district),
    `/campaigns/${district}?sort=name&q=an`,
    paths.published.unit(edge, 'xa-a'),
    paths.published.methodology(province),
    paths.published.openData(district, 'csv'),
    paths.published.openData(district, 'xlsx', 1),
  ];

  it('answers 304 to a matching If-None-Match, with a tag per language and query', async () => {
    for (const url of pages()) {
      const first = await get(url);
      expect(first.statusCode, url).toBe(200);
      const etag = String(first.headers.etag);
      expect(etag).toMatch(/^(W\/)?"[\w-]+"$/);
      expect(String(first.headers['cache-control'])).toMatch(/^public, max-age=/);
      const again = await get(url, { 'if-none-match': etag });
      expect(again.statusCode, url).toBe(304);
      expect(again.body).toBe('');
      if (url.startsWith('/campaigns/')) {
        expect(String(first.headers.vary)).toContain('Cookie');
        const english = await get(url, { 'if-none-match': etag, cookie: 'cchc_lang=en' });
        expect(english.statusCode).toBe(200);
        expect(english.headers.etag).not.toBe(etag);
      }
    }
    const a = await get(paths.published.campaign(district, { sort: 'name' }));
    const b = await get(paths.published.campaign(district, { sort: 'index' }));
    expect(a.headers.etag).not.toBe(b.headers.etag);
  });

  it('renders a page once per tag and address, then serves the same bytes in brotli, gzip or plain', async () => {
    const url = `/campaigns/${district}?sort=name&q=tr`;
    const before = statements;
    const plain = await get(url);
    const rendering = statements - before;
    const br = await get(url, { 'accept-encoding': 'gzip, deflate, br' });
    const gz = await get(url, { 'accept-encoding': 'gzip' });
    const served = statements - before - rendering;
    // The later requests only look up the publication for the tag: fewer statements than rendering took, whatever they are.
    expect(served / 2).toBeLessThan(rendering);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(br.headers['content-encoding']).toBe('br');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(String(br.headers.vary)).toMatch(/Accept-Encoding.*Cookie|Cookie.*Accept-Encoding/);
    expect(brotliDecompressSync(br.rawPayload).toString('utf8')).toBe(plain.body);
    expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(plain.body);
    expect(plain.body).toContain('<table');
    // Another address under the same tag (an unknown parameter) is its own page: the language link names the address.
    const other = await get(`${url}&x=1`);
    expect(other.body).toContain(encodeURIComponent(`${url}&x=1`));
    expect(plain.body).not.toContain(encodeURIComponent(`${url}&x=1`));
  });

  it('sets no cookie and writes no session on any public GET', async () => {
    const [{ n: sessionsBefore }] = await em().execute<{ n: number }[]>('select count(*)::int as n from user_session');
    for (const url of [
      ...pages(),
      paths.published.campaign(edge, { v: 1 }),
      paths.published.methodology(edge),
      '/campaigns/khong-co',
    ]) {
      const res = await get(url, { 'accept-encoding': 'br' });
      expect(res.headers['set-cookie'], url).toBeUndefined();
    }
    const [{ n: sessionsAfter }] = await em().execute<{ n: number }[]>('select count(*)::int as n from user_session');
    expect(sessionsAfter).toBe(sessionsBefore);
    expect(sessionsAfter).toBe(0);
  });

  it('answers the friendly 404 for an unknown campaign or version, and keeps practice campaigns private', async () => {
    for (const url of [
      '/campaigns/khong-co',
      paths.published.campaign(district, { v: 7 }),
      `/campaigns/${district}?v=abc`,
      '/campaigns/khong-co/methodology',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).toContain('Không tìm thấy trang');
    }
    const practice = await importAndPublish(await buildWorkbook(edgeSheets('tap-huan-2024', 2024)));
    await em().execute('update campaign set practice = true where code = ?', [practice]);
    for (const url of [
      paths.published.campaign(practice),
      paths.published.unit(practice, 'xa-a'),
      paths.published.methodology(practice),
      paths.published.openData(practice, 'json'),
    ]) {
      expect((await get(url)).statusCode, url).toBe(404);
    }
    expect((await get(paths.published.unit(edge, 'xa-a'))).body).not.toContain('tap-huan-2024');
  });
});

describe('a ranking longer than a page', () => {
  it('comes in pages of 250 rows, in rank order, each page light, with links to every page; search spans them all', async () => {
    const code = await importAndPublish(await buildWorkbook(bigSheets('tinh-moc-2025', 2025, true, 620)));
    const { doc } = await resultsJson(code);
    // Written 250 units per statement: every unit has its row, once.
    const [stored] = await em().execute<{ n: number; units: number }[]>(
      `select count(*)::int as n, count(distinct unit_code)::int as units from published_result r join publication p on p.id = r.publication_id
         join campaign c on c.id = p.campaign_id where c.code = ?`,
      [code],
    );
    expect(stored).toEqual({ n: 620, units: 620 });
    const shown: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const res = await get(page === 1 ? paths.published.campaign(code) : `/campaigns/${code}?page=${page}`, {
        'accept-encoding': 'br',
      });
      expect(res.statusCode).toBe(200);
      const html = brotliDecompressSync(res.rawPayload).toString('utf8');
      const rows = rankingRows(html);
      expect(rows.length).toBe(page < 3 ? 250 : 120);
      shown.push(...rows.map((r) => r.unit));
      expect(html).toContain(`Trang ${page} / 3: dòng ${(page - 1) * 250 + 1}–${Math.min(page * 250, 620)} trong 620.`);
      expect(html).toContain(`<span aria-current="page">${page}</span>`);
      for (const other of [1, 2, 3].filter((n) => n !== page))
        expect(html).toContain(`aria-label="Trang ${other}">${other}</a>`);
      expect(res.rawPayload.length).toBeLessThan(30 * 1024);
    }
    expect(shown).toEqual([...doc.units].sort((a, b) => a.rank - b.rank || 0).map((u) => u.code));
    // Past the last page: the last page.
    expect(rankingRows((await get(paths.published.campaign(code, { page: 9 }))).body).map((r) => r.unit)).toEqual(
      shown.slice(500),
    );
    // A search finds units wherever they rank, and sorting by name pages in name order.
    const last = doc.units.find((u) => u.code === shown.at(-1))!;
    const found = rankingRows((await get(`/campaigns/${code}?q=${encodeURIComponent(last.name)}`)).body);
    expect(found.map((r) => r.unit)).toContain(last.code);
    const byName = rankingRows((await get(`/campaigns/${code}?sort=name&page=3`)).body).map((r) => r.name);
    const vi = new Intl.Collator('vi');
    expect(byName).toEqual([...doc.units.map((u) => u.name)].sort(vi.compare).slice(500));
  });
});

describe('weight', () => {
  it('keeps a campaign page of 200 units under 30 KB compressed with its stylesheet, and without script', async () => {
    const res = await get(paths.published.campaign(big), { 'accept-encoding': 'br' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    const html = brotliDecompressSync(res.rawPayload).toString('utf8');
    expect(rankingRows(html).length).toBe(200);
    expect(html).toContain('So với 2024');
    expect(html).not.toContain('<script');
    const css = /<link rel="stylesheet" href="([^"]+)">/.exec(html)![1]!;
    const sheet = await get(css, { 'accept-encoding': 'br' });
    expect(sheet.headers['content-encoding']).toBe('br');
    const headers = (r: typeof res) =>
      Object.entries(r.headers).reduce((n, [k, v]) => n + k.length + String(v).length + 4, 0);
    // The icon is an asset of the layout, so a cold load fetches it too.
    const icon = await get(/<link rel="icon" href="([^"]+)"/.exec(html)![1]!, { 'accept-encoding': 'br' });
    const total =
      res.rawPayload.length +
      headers(res) +
      sheet.rawPayload.length +
      headers(sheet) +
      icon.rawPayload.length +
      headers(icon);
    console.info(
      `200-unit page: HTML ${res.rawPayload.length} B br (${html.length} B raw), stylesheet ${sheet.rawPayload.length} B br, icon ${icon.rawPayload.length} B; all with headers ${total} B`,
    );
    expect(total).toBeLessThan(30 * 1024);
    expect(sheet.rawPayload.length).toBeLessThan(10 * 1024);
    // The app compresses a published page once, at a high level; the best level only makes it smaller.
    expect(brotliCompressSync(html, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length).toBeLessThanOrEqual(
      res.rawPayload.length,
    );
  });
});
