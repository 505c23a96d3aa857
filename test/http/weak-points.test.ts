// Weak points on the public pages: a unit's (against its block, its own last year, or a merged unit's predecessors)
// with its improvement plan, and a campaign's per block; only published results, never a draft campaign's.
import { inflateRawSync } from 'node:zlib';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishCampaign } from '../../src/features/publication/publish.ts';
import { importWorkbook } from '../../src/features/workbook/index.ts';
import { paths } from '../../src/http/paths.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { lastYear, thisYear } from '../helpers/weak-points.ts';
import { buildWorkbook, type Sheets, validSheets } from '../helpers/workbook.ts';

let t: TestApp;
const em = (): EntityManager => t.orm.em.fork() as EntityManager;

/** A campaign of `n` communes in one block, each losing points somewhere (deterministically). */
function manyUnits(n: number): Sheets {
  const s = validSheets('yeu-nhieu');
  const codes = Array.from({ length: n }, (_, i) => `xa-${String(i + 1).padStart(3, '0')}`);
  s.units = [['code', 'name', 'kind', 'parent_code'], ...codes.map((c, i) => [c, `Xã Số ${i + 1}`, 'xã', null])];
  s.scores = [
    s.scores![0]!,
    ...codes.flatMap((c, i) => [
      [c, '1.1', 4, 4 - (i % 5) * 0.5, 'no', null, i % 5 ? 'Thiếu tài liệu kiểm chứng' : null],
      [c, '1.2', 6, i % 3 ? 6 : 0, 'no', null, null],
      [c, '2.1', 5, 5 - (i % 4) * 1.25, 'no', null, null],
      [c, '2.2', null, 5 - (i % 6), 'no', null, null],
      [c, '2.3', null, -(i % 3), 'no', null, null],
    ]),
  ];
  s.survey = [s.survey![0]!, ...codes.map((c, i) => [c, 40, 250 + (i % 50), null])];
  s.components = [s.components![0]!];
  return s;
}

async function importAndPublish(sheets: Sheets, publish = true): Promise<void> {
  const imported = await importWorkbook(em(), await buildWorkbook(sheets), { actorId: null });
  if (!imported.ok) throw new Error(JSON.stringify(imported.errors));
  if (!publish) return;
  const published = await publishCampaign(em(), null, imported.summary.code, { imported: true });
  if (!published.ok) throw new Error(JSON.stringify(published.errors));
}

const get = (url: string) => t.app.inject({ method: 'GET', url });
/** The page's text, tags dropped and spaces folded. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');

function zipEntry(zip: Buffer, name: string): Buffer | null {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    const [method, size, nameLength] = [
      zip.readUInt16LE(at + 10),
      zip.readUInt32LE(at + 20),
      zip.readUInt16LE(at + 28),
    ];
    if (zip.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      const local = zip.readUInt32LE(at + 42);
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      return method === 8 ? inflateRawSync(data) : Buffer.from(data);
    }
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return null;
}

beforeAll(async () => {
  t = await startTestApp({ seed: false });
  await importAndPublish(lastYear());
  await importAndPublish(thisYear());
  await importAndPublish(thisYear('yeu-nhap'), false);
  await importAndPublish(manyUnits(120));
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe("a unit's weak points", () => {
  it('lists the criteria lost, with the block average and the reason, and the fields against its block and last year', async () => {
    const res = await get(paths.published.unit('yeu-2024', 'xa-a'));
    expect(res.statusCode).toBe(200);
    const page = text(res.body);
    expect(page).toContain('Điểm yếu');
    // 2.2 (1 of 5) and 2.3 (the deduction of 1) before 1.1 (0,5 of 4); 1.1's block average: 0,5 and 2 over 2 units.
    expect(page).toMatch(/2\.2 Tiêu chí 2\.2 1 \/ 5 1 \(3 đơn vị\) Không ghi lý do/);
    expect(page).toMatch(/1\.1 Tiêu chí 1\.1 0,5 \/ 4 1,25 \(2 đơn vị\) Thiếu một tài liệu Năm 2023: mất 0 \/ 4/);
    expect(page.indexOf('2.2 Tiêu chí 2.2 1 / 5')).toBeLessThan(page.indexOf('1.1 Tiêu chí 1.1 0,5 / 4'));
    // Field 1: 9,5 / 10; the block: 95 %, 79,2 % (1.1 not applicable to Xã B), 80 % → 84,7 %; last year 10 / 10.
    expect(page).toContain('1. Lĩnh vực 1 9,5 / 10 (95%) 84,7% Năm 2023: 10 / 10 (100%)');
    expect(res.body).toContain(`href="${paths.published.improvementPlan('yeu-2024', 'xa-a')}"`);
  });

  it("shows a merged unit's predecessors each apart, only where they have published fields", async () => {
    const page = text((await get(paths.published.unit('yeu-2024', 'xa-c'))).body);
    expect(page).toContain('kết quả của từng đơn vị cũ được ghi riêng, không cộng gộp');
    expect(page).toContain('1. Lĩnh vực 1 8 / 10 (80%) 84,7% Xã D, năm 2023: 9 / 10 (90%)');
    expect(page).not.toMatch(/Xã E, năm 2023: \d/);
    expect(page).toMatch(/1\.1 Tiêu chí 1\.1 2 \/ 4 1,25 \(2 đơn vị\) Chưa đủ minh chứng Xã D, năm 2023: mất 1 \/ 4 /);
  });

  it('says so when nothing was lost, compared within its own block only', async () => {
    const page = text((await get(paths.published.unit('yeu-2024', 'phuong-p'))).body);
    expect(page).toContain('Đơn vị không bị mất điểm ở tiêu chí áp dụng nào.');
    expect(page).toContain('1. Lĩnh vực 1 10 / 10 (100%) 100%');
  });

  it('downloads the improvement plan with every lost criterion, its guidance and the empty columns', async () => {
    const res = await get(paths.published.improvementPlan('yeu-2024', 'xa-a'));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(res.headers['content-disposition']).toContain('ke-hoach-khac-phuc-xa-a-2024.docx');
    const xml = zipEntry(res.rawPayload, 'word/document.xml')!.toString('utf8');
    const words = xml.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    for (const w of ['KẾ HOẠCH', 'Giải pháp', 'Thời hạn', 'Người phụ trách', 'Hướng dẫn 1.1', 'Thiếu một tài liệu'])
      expect(words).toContain(w);
    expect(words).toContain('2.2. Tiêu chí 2.2');
    expect(words.indexOf('2.2. Tiêu chí 2.2')).toBeLessThan(words.indexOf('1.1. Tiêu chí 1.1'));
  });

  it('answers 404 for an unknown unit, an unpublished campaign and a unit not submitted', async () => {
    expect((await get(paths.published.improvementPlan('yeu-2024', 'xa-khong'))).statusCode).toBe(404);
    expect((await get(paths.published.improvementPlan('yeu-nhap', 'xa-a'))).statusCode).toBe(404);
    expect((await get(paths.published.unit('yeu-nhap', 'xa-a'))).statusCode).toBe(404);
  });
});

describe("a campaign's weak points", () => {
  it('ranks the criteria of a block by points lost, with the share of units losing points', async () => {
    const res = await get(paths.published.weakPoints('yeu-2024'));
    expect(res.statusCode).toBe(200);
    const page = text(res.body);
    expect(page).toContain('Điểm yếu chung của các đơn vị');
    // Khối xã: 1.1 (2 of 2, 1,25), 2.2 (2 of 3, 1), 2.1 (1 of 3, 0,83), 1.2 (0,42), 2.3 (0,33).
    const rows = [...res.body.matchAll(/<tr><th scope="row">([\d.]+) /g)].map((m) => m[1]);
    expect(rows).toEqual(['1.1', '2.2', '2.1', '1.2', '2.3']);
    expect(page).toContain('1.1 Tiêu chí 1.1 2/2 (100%) 1,25 4');
    expect(page).toContain('2.2 Tiêu chí 2.2 2/3 (66,7%) 1 5');
    // Small multiples and the heat map, values in the cells.
    expect(res.body).toContain('id="fields-multiples"');
    expect(res.body).toMatch(/<svg class="chart heat"[^>]*>.*Xã B.*79,2/s);
    expect(res.body).not.toMatch(/<script/);
  });

  it('shows the other block on its own address, and the top criteria on the campaign page', async () => {
    const other = text((await get(paths.published.weakPoints('yeu-2024', { block: 2 }))).body);
    expect(other).toContain('Không đơn vị nào bị mất điểm ở tiêu chí áp dụng.');
    expect(other).toContain('Phường P');
    const campaign = await get(paths.published.campaign('yeu-2024'));
    expect(text(campaign.body)).toContain('1.1 Tiêu chí 1.1 2/2 (100%) 1,25');
    expect(campaign.body).toContain(`href="${paths.published.weakPoints('yeu-2024')}"`);
  });

  it('answers 404 for an unpublished or unknown campaign and speaks English by cookie', async () => {
    expect((await get(paths.published.weakPoints('yeu-nhap'))).statusCode).toBe(404);
    expect((await get(paths.published.weakPoints('khong-co'))).statusCode).toBe(404);
    const en = await t.app.inject({
      method: 'GET',
      url: paths.published.weakPoints('yeu-2024'),
      cookies: { cchc_lang: 'en' },
    });
    expect(text(en.body)).toContain('2/3 (66.7%)');
    expect(text(en.body)).toContain('Weak points across the units');
  });

  it('stays light on a phone: 120 units come in pages of the heat map, each a few kilobytes compressed', async () => {
    const sizes: number[] = [];
    for (const page of [1, 2, 3]) {
      const res = await t.app.inject({
        method: 'GET',
        url: paths.published.weakPoints('yeu-nhieu', { page: page > 1 ? page : undefined }),
        headers: { 'accept-encoding': 'br' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding']).toBe('br');
      // 40 rows of the heat map a page: the first and the last unit of the page, and the link to the next.
      expect(res.body === undefined).toBe(false);
      sizes.push(res.rawPayload.length);
    }
    // Every unit once across the pages, 40 rows of the heat map a page (in rank order, as the ranking).
    const names: string[] = [];
    for (const page of [1, 2, 3]) {
      const body = (await get(paths.published.weakPoints('yeu-nhieu', { page: page > 1 ? page : undefined }))).body;
      const heat = /<svg class="chart heat".*?<\/svg>/s.exec(body)![0];
      const rows = [...heat.matchAll(/<text x="0" y="\d+">([^<]+)<\/text>/g)].map((m) => m[1]!);
      expect(rows).toHaveLength(40);
      names.push(...rows);
    }
    expect(new Set(names).size).toBe(120);
    const first = (await get(paths.published.weakPoints('yeu-nhieu'))).body;
    expect(first).toContain(`href="${paths.published.weakPoints('yeu-nhieu', { page: 2 }, 'heat')}"`);
    for (const size of sizes) expect(size).toBeLessThan(10 * 1024);
    // The unit's page with its weak points, and the campaign page with its summary, stay light too.
    for (const url of [paths.published.unit('yeu-nhieu', 'xa-007'), paths.published.campaign('yeu-nhieu')]) {
      const res = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br' } });
      expect(res.rawPayload.length).toBeLessThan(14 * 1024);
    }
  });
});
