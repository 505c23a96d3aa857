// The public pages of a province's campaign in blocks, formed by mergers: a block's ranking, a merged commune's history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishCampaign } from '../../src/features/publication/publish.ts';
import { formatIssue, importWorkbook } from '../../src/features/workbook/index.ts';
import { Browser, startTestApp, type TestApp } from '../helpers/app.ts';
import { campaignSheet, criteria, formerDistrict, province } from '../helpers/two-tier.ts';
import { type Sheets, buildWorkbook } from '../helpers/workbook.ts';

let t: TestApp;
let reader: Browser;

async function importAndPublish(sheets: Sheets) {
  const read = await importWorkbook(t.orm.em.fork(), await buildWorkbook(sheets), { actorId: null });
  if (!read.ok) throw new Error(read.errors.map((issue) => formatIssue(issue, 'vi')).join('\n'));
  const published = await publishCampaign(t.orm.em.fork(), null, read.summary.code, { imported: true });
  if (!published.ok) throw new Error('not published');
}

beforeAll(async () => {
  t = await startTestApp();
  reader = new Browser(t.app);
  await importAndPublish(formerDistrict);
  // The special zone existed last year under another name (the same unit, renamed): its change and its history are its own.
  await importAndPublish({
    campaign: campaignSheet('dac-khu-2024', 2024),
    units: [
      ['code', 'name', 'kind'],
      ['dac-khu-thu', 'Huyện đảo Thử', 'huyện'],
    ],
    criteria,
    components: [
      ['unit_code', 'appraisal', 'survey'],
      ['dac-khu-thu', 60, 25],
    ],
  });
  await importAndPublish(province());
  // The departments' campaign of the same year, with criteria of its own and no blocks.
  await importAndPublish({
    campaign: campaignSheet('so-nganh-2025', 2025).map((row) =>
      row[0] === 'name' ? ['name', 'Chỉ số CCHC các sở, ban, ngành 2025'] : row,
    ),
    units: [
      ['code', 'name', 'kind'],
      ['so-noi-vu-thu', 'Sở Nội vụ Thử', 'sở'],
      ['so-tu-phap-thu', 'Sở Tư pháp Thử', 'sở'],
    ],
    criteria: [
      ['code', 'title', 'max_score'],
      ['1', 'Chỉ đạo điều hành', 20],
    ],
    components: [
      ['unit_code', 'appraisal', 'survey'],
      ['so-noi-vu-thu', 68, 28],
      ['so-tu-phap-thu', 60, 27],
    ],
  });
});
afterAll(async () => {
  await t.close();
});

/** The ranking table's rows as [rank, name, index, band, …, change]. */
function rankingRows(html: string): string[][] {
  const table = /<table class="grid[^"]*" id="ranking-table">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<tr><td>([\s\S]*?)<\/tr>/g)].map((m) =>
    `<td>${m[1]}`
      .split(/<\/t[dh]>/)
      .map((cell) => cell.replace(/<[^>]+>/g, '').trim())
      .filter((cell, i, all) => i < all.length - 1 || cell !== ''),
  );
}

describe('the campaign page of a campaign in blocks', () => {
  it('ranks one block at a time, with a chooser of the blocks and their sizes', async () => {
    const res = await reader.get('/campaigns/tinh-thu-2025');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Bảng xếp hạng — khối Phường');
    expect(res.body).toMatch(/<a href="[^"]*" aria-current="true">Phường <span class="muted">\(2\)<\/span><\/a>/);
    expect(res.body).toMatch(/<a href="\?block=2#ranking">Xã, đặc khu <span class="muted">\(2\)<\/span><\/a>/);
    const rows = rankingRows(res.body);
    expect(rows.map((r) => [r[0], r[1], r[2], r[3]])).toEqual([
      ['1', 'Phường Hai', '90,00', 'Tốt'],
      ['1', 'Phường Mới', '90,00', 'Tốt'],
    ]);
    // The band counts are the block's own.
    expect(res.body).toMatch(/Tốt <strong>2<\/strong>/);
    expect(res.body).toMatch(/Xuất sắc <strong>0<\/strong>/);
  });

  it('shows the other block, and says a merged commune is new rather than inventing a change', async () => {
    const res = await reader.get('/campaigns/tinh-thu-2025?block=2');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Bảng xếp hạng — khối Xã, đặc khu');
    const rows = rankingRows(res.body);
    expect(rows.map((r) => [r[0], r[1], r[2]])).toEqual([
      ['1', 'Đặc khu Thử', '95,00'],
      ['2', 'Xã Mới', '80,00'],
    ]);
    // The special zone was ranked itself last year (85,00): its own change; the merged commune is new.
    expect(rows[0]!.at(-1)).toMatch(/\+10,00$/);
    expect(rows[1]!.at(-1)).toBe('đơn vị mới');
  });
});

describe("a merged commune's page", () => {
  it('names what it was formed from, with their own published results, and its rank within its block', async () => {
    const res = await reader.get('/campaigns/tinh-thu-2025/units/phuong-moi');
    expect(res.statusCode).toBe(200);
    const section = /<section id="formed-from"[\s\S]*?<\/section>/.exec(res.body)?.[0] ?? '';
    const text = section.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
    expect(text).toContain('Hình thành từ');
    expect(text).toContain('Xã Cũ A (2024: 85,20 — Tốt)');
    expect(text).toContain('Xã Cũ B (2024: 78,10 — Khá)');
    expect(section).toContain('href="/campaigns/huyen-cu-2024/units/xa-cu-a"');
    expect(res.body).toMatch(/1 \/ 2[^<]*trong khối Phường/);
    // Nothing is summed: no figure of its own before it existed.
    expect(res.body).not.toContain('81,65');
  });

  it('a renamed unit keeps its own history: both years on its page, under the name each was published with', async () => {
    const res = await reader.get('/campaigns/tinh-thu-2025/units/dac-khu-thu');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Đặc khu Thử</h1>');
    expect(res.body).not.toContain('id="formed-from"');
    const trend = /<h2 id="trend">[\s\S]*?<\/table>/.exec(res.body)?.[0] ?? '';
    const rows = [...trend.matchAll(/<tr><th scope="row">(\d{4})<\/th>([\s\S]*?)<\/tr>/g)].map((m) => [
      m[1],
      m[2]!
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    ]);
    expect(rows).toEqual([
      ['2024', 'Chỉ số CCHC 2024 85,00 1 / 1 Tốt'],
      ['2025', 'Chỉ số CCHC 2025 95,00 1 / 4 Xuất sắc'],
    ]);
    const before = await reader.get('/campaigns/dac-khu-2024/units/dac-khu-thu');
    expect(before.body).toContain('<h1>Huyện đảo Thử</h1>');
  });

  it('a unit that was not merged has no such section', async () => {
    const res = await reader.get('/campaigns/tinh-thu-2025/units/phuong-hai');
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('id="formed-from"');
  });
});

describe("the year's index", () => {
  it("shows the organiser's campaigns of the year together, each block with its leaders and band counts", async () => {
    const res = await reader.get('/years/2025');
    expect(res.statusCode).toBe(200);
    const text = res.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(res.body).toContain('<h1>Chỉ số CCHC năm 2025 — UBND tỉnh Thử</h1>');
    expect(res.body).toContain('href="/campaigns/so-nganh-2025"');
    expect(res.body).toContain('href="/campaigns/tinh-thu-2025"');
    expect(text).toContain('khối Phường (2 đơn vị)');
    expect(text).toContain('Dẫn đầu: Phường Hai 90,00 , Phường Mới 90,00');
    expect(text).toContain('Dẫn đầu: Đặc khu Thử 95,00');
    expect(text).toContain('Dẫn đầu: Sở Nội vụ Thử 96,00');
    expect(res.body).toContain('href="/campaigns/tinh-thu-2025?block=2#ranking"');
    // Last year's campaigns are not this year's.
    expect(res.body).not.toContain('huyen-cu-2024');
  });

  it('is reached from the home page, and a year without a publication is not found', async () => {
    const home = await reader.get('/');
    expect(home.body).toContain('<a href="/years/2025">Chỉ số CCHC năm 2025 — UBND tỉnh Thử</a>');
    expect(home.body).toContain('<a href="/years/2024">');
    expect((await reader.get('/years/2019')).statusCode).toBe(404);
    expect((await reader.get('/years/abc')).statusCode).toBe(404);
  });
});
