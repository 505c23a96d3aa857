// The emulation view (issue 18, item 4): the secretariat's proposals per band, each unit's band and index from the
// publication (never a preliminary figure), on a page and as XLSX.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInVietnam } from '../../src/domain/dates.ts';
import { seedPublishedPastYear } from '../../src/features/demo/past-year.ts';
import { paths } from '../../src/http/paths.ts';
import { fieldError } from '../helpers/admin.ts';
import { Browser, startTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let past: string;
let current: string;
let admin: Browser;
beforeAll(async () => {
  t = await startTestApp();
  [{ code: current }] = await t.orm.em.fork().execute<{ code: string }[]>('select code from campaign limit 1');
  past = await seedPublishedPastYear(t.orm, Number(todayInVietnam().slice(0, 4)) - 1);
  admin = await Browser.signedIn(t.app, 'admin');
});
afterAll(async () => {
  await t.close();
});

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
const published = async () =>
  JSON.parse(
    (
      await t.orm.em
        .fork()
        .execute<{ results_json: string }[]>(
          'select p.results_json from publication p join campaign c on c.id = p.campaign_id where c.code = ?',
          [past],
        )
    )[0]!.results_json,
  ) as { units: { code: string; name: string; rank: number; index: number; band: string }[] };

describe('the emulation view', () => {
  it('waits for a publication: the page says so and the spreadsheet leads back to it', async () => {
    const page = await admin.get(paths.admin.emulation(current));
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain('Kỳ đánh giá chưa công bố kết quả');
    const xlsx = await admin.get(paths.admin.emulationXlsx(current));
    expect(xlsx.statusCode).toBe(303);
    expect(xlsx.headers.location).toBe(paths.admin.emulation(current));
  });

  it('refuses a proposal over 500 characters beside its field, keeping what was typed, and saves nothing', async () => {
    const form = paths.admin.emulation(past);
    const res = await admin.submit(form, form, { proposal0: 'Đề nghị tặng Bằng khen', proposal1: 'x'.repeat(501) });
    expect(res.statusCode).toBe(422);
    expect(fieldError(res.body, 'proposal1')).toBe('Đề xuất dài quá 500 ký tự.');
    expect(res.body).toContain('value="Đề nghị tặng Bằng khen"');
    const [row] = await t.orm.em
      .fork()
      .execute<{ rules: object }[]>('select emulation_rules as rules from campaign where code = ?', [past]);
    expect(row!.rules).toEqual({});
  });

  it("lists every published unit with its band and the band's proposal, on the page and in the spreadsheet", async () => {
    const form = paths.admin.emulation(past);
    const saved = await admin.submit(form, form, {
      proposal0: 'Đề nghị Chủ tịch UBND huyện tặng Giấy khen',
      proposal1: '  Biểu dương  ',
    });
    expect(saved.statusCode).toBe(303);
    const [logged] = await t.orm.em
      .fork()
      .execute<{ after: object }[]>(`select after from audit_event where action = 'campaign.emulation-rules-set'`);
    expect(logged!.after).toEqual({ 'Xuất sắc': 'Đề nghị Chủ tịch UBND huyện tặng Giấy khen', Tốt: 'Biểu dương' });

    const doc = await published();
    const proposalOf = (band: string) =>
      band === 'Xuất sắc' ? 'Đề nghị Chủ tịch UBND huyện tặng Giấy khen' : band === 'Tốt' ? 'Biểu dương' : '';
    const page = text((await admin.get(String(saved.headers.location))).body);
    expect(page).toContain('Đã lưu đề xuất theo xếp loại.');
    const good = doc.units.find((u) => u.band === 'Tốt')!;
    expect(page).toContain(`${good.name} ${String(good.index).replace('.', ',')} Tốt Biểu dương`);

    const res = await admin.get(paths.admin.emulationXlsx(past));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(`thi-dua-${past}.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const rows = sheet.getSheetValues().slice(2) as unknown as (string | number)[][];
    expect(rows).toHaveLength(doc.units.length);
    // Unit by unit, the spreadsheet says what results.json says, and the proposal its band gives.
    expect(rows.map((r) => [r[1], r[2], r[3], r[4], r[5] ?? ''])).toEqual(
      doc.units.map((u) => [u.rank, u.name, u.index, u.band, proposalOf(u.band)]),
    );
  });
});
