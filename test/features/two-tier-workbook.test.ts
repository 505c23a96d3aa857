// The two-tier local government in the campaign workbook: blocks (khối), official codes and predecessors.
import type { MikroORM } from '@mikro-orm/postgresql';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishCampaign } from '../../src/features/publication/publish.ts';
import { currentResults } from '../../src/features/results.ts';
import { exportWorkbook, formatIssue, importWorkbook } from '../../src/features/workbook/index.ts';
import { freshOrm } from '../helpers/db.ts';
import { campaignSheet, formerDistrict, province } from '../helpers/two-tier.ts';
import { type Sheets, buildWorkbook, cellValues, tableCounts } from '../helpers/workbook.ts';

let orm: MikroORM;
beforeAll(async () => {
  orm = await freshOrm();
});
afterAll(async () => {
  await orm.close();
});

async function imported(target: MikroORM, sheets: Sheets) {
  const result = await importWorkbook(target.em.fork(), await buildWorkbook(sheets), { actorId: null });
  if (!result.ok) throw new Error(result.errors.map((issue) => formatIssue(issue, 'vi')).join('\n'));
  return result.summary;
}

async function refusal(sheets: Sheets): Promise<string[]> {
  const before = await tableCounts(orm);
  const result = await importWorkbook(orm.em.fork(), await buildWorkbook(sheets), { actorId: null });
  expect(await tableCounts(orm)).toEqual(before);
  return result.ok ? [] : result.errors.map((issue) => formatIssue(issue, 'vi'));
}

describe('a campaign workbook with blocks and predecessors', () => {
  beforeAll(async () => {
    await imported(orm, formerDistrict);
    await imported(orm, province());
  });

  it('ranks within each block, the blocks in the order the units sheet gives them', async () => {
    const campaign = await orm.em
      .fork()
      .getConnection()
      .execute<{ id: number }[]>("select id from campaign where code = 'tinh-thu-2025'");
    const { results } = await currentResults(orm.em.fork(), campaign[0]!.id);
    expect(results.map((r) => [r.block, r.code, r.rank, Number(r.index) / 1000, r.band])).toEqual([
      ['Phường', 'phuong-hai', 1, 90, 'Tốt'],
      ['Phường', 'phuong-moi', 1, 90, 'Tốt'],
      ['Xã, đặc khu', 'dac-khu-thu', 1, 95, 'Xuất sắc'],
      ['Xã, đặc khu', 'xa-moi', 2, 80, 'Khá'],
    ]);
  });

  it('stores the official codes, the predecessors and the unit types', async () => {
    const rows = await orm.em
      .fork()
      .getConnection()
      .execute(
        `select u.code, u.official_code, array(select p.code from unit_predecessor up join unit p on p.id = up.predecessor_id
                                          where up.unit_id = u.id order by p.code) as predecessors
         from unit u where u.code in ('phuong-moi', 'xa-moi', 'phuong-hai') order by u.code`,
      );
    expect(rows).toEqual([
      { code: 'phuong-hai', official_code: null, predecessors: [] },
      { code: 'phuong-moi', official_code: '00004', predecessors: ['xa-cu-a', 'xa-cu-b'] },
      { code: 'xa-moi', official_code: '00007', predecessors: ['xa-cu-c'] },
    ]);
    const kinds = await orm.em.fork().getConnection().execute<{ name: string }[]>('select name from unit_kind');
    expect(kinds.map((k) => k.name)).toEqual(expect.arrayContaining(['xã', 'phường', 'đặc khu', 'sở', 'UBND huyện']));
  });

  it('exports what it imported, and a second portal imports the export to the same workbook', async () => {
    const exported = (await exportWorkbook(orm.em.fork(), 'tinh-thu-2025'))!;
    const cells = await cellValues(exported);
    expect(cells.units).toEqual([
      ['code', 'name', 'kind', 'parent_code', 'block', 'official_code', 'predecessor_codes'],
      ['phuong-moi', 'Phường Mới', 'phường', null, 'Phường', '00004', 'xa-cu-a; xa-cu-b'],
      ['xa-moi', 'Xã Mới', 'xã', null, 'Xã, đặc khu', '00007', 'xa-cu-c'],
      ['phuong-hai', 'Phường Hai', 'phường', null, 'Phường'],
      ['dac-khu-thu', 'Đặc khu Thử', 'đặc khu', null, 'Xã, đặc khu'],
    ]);
    const second = await freshOrm();
    try {
      await imported(second, formerDistrict);
      const again = await importWorkbook(second.em.fork(), exported, { actorId: null });
      expect(again.ok).toBe(true);
      expect(await cellValues((await exportWorkbook(second.em.fork(), 'tinh-thu-2025'))!)).toEqual(cells);
    } finally {
      await second.close();
    }
  });

  it('a workbook without the new columns exports without them', async () => {
    const cells = await cellValues((await exportWorkbook(orm.em.fork(), 'huyen-cu-2024'))!);
    expect(cells.units![0]).toEqual(['code', 'name', 'kind', 'parent_code']);
  });
});

describe('the open data of a campaign in blocks, formed by mergers', () => {
  const files = async (code: string) => {
    const [row] = await orm.em
      .fork()
      .getConnection()
      .execute<{ json: string; csv: string }[]>(
        `select p.results_json as json, p.results_csv as csv from publication p join campaign c on c.id = p.campaign_id
          where c.code = ? order by p.version desc limit 1`,
        [code],
      );
    return { doc: JSON.parse(row!.json), csv: row!.csv as string };
  };

  it("ranks within blocks and names each unit's predecessors with their own published results", async () => {
    const publish = async (code: string) => {
      const outcome = await publishCampaign(orm.em.fork(), null, code, { imported: true });
      expect(outcome.ok).toBe(true);
    };
    await publish('huyen-cu-2024');
    await publish('tinh-thu-2025');
    const { doc, csv } = await files('tinh-thu-2025');
    expect(doc.units.map((u: Record<string, unknown>) => [u.block, u.code, u.rank, u.index, u.band])).toEqual([
      ['Phường', 'phuong-hai', 1, 90, 'Tốt'],
      ['Phường', 'phuong-moi', 1, 90, 'Tốt'],
      ['Xã, đặc khu', 'dac-khu-thu', 1, 95, 'Xuất sắc'],
      ['Xã, đặc khu', 'xa-moi', 2, 80, 'Khá'],
    ]);
    const byCode = new Map(doc.units.map((u: { code: string }) => [u.code, u]));
    expect((byCode.get('phuong-moi') as { predecessors: unknown }).predecessors).toEqual([
      { code: 'xa-cu-a', name: 'Xã Cũ A', campaign: 'huyen-cu-2024', index: 85.2, band: 'Tốt' },
      { code: 'xa-cu-b', name: 'Xã Cũ B', campaign: 'huyen-cu-2024', index: 78.1, band: 'Khá' },
    ]);
    expect((byCode.get('phuong-hai') as { predecessors: unknown }).predecessors).toEqual([]);
    expect(Object.keys(doc.units[0])).toEqual([
      'code',
      'name',
      'block',
      'rank',
      'index',
      'band',
      'points',
      'applicableMax',
      'components',
      'fields',
      'predecessors',
    ]);
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('rank,block,unit_code,unit_name,index,band,appraisal,survey');
    expect(lines[1]).toBe('1,Phường,phuong-hai,Phường Hai,90,Tốt,65,25');
    expect(lines[4]).toBe('2,"Xã, đặc khu",xa-moi,Xã Mới,80,Khá,60,20');
  });

  it('results.xlsx heads the block column in words, frozen with the names', async () => {
    const [row] = await orm.em
      .fork()
      .getConnection()
      .execute<{ xlsx: Buffer }[]>(
        `select p.results_xlsx as xlsx from publication p join campaign c on c.id = p.campaign_id
          where c.code = 'tinh-thu-2025' order by p.version desc limit 1`,
      );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(row!.xlsx as unknown as ExcelJS.Buffer);
    const sheet = book.getWorksheet('results')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1, 5)).toEqual(['Hạng', 'Khối', 'Mã đơn vị', 'Tên đơn vị']);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', xSplit: 4, ySplit: 1 });
    expect(sheet.getRow(5).getCell(2).value).toBe('Xã, đặc khu');
  });

  it('a campaign without blocks keeps its CSV columns, and block null in results.json', async () => {
    const { doc, csv } = await files('huyen-cu-2024');
    expect(csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('rank,unit_code,unit_name,index,band,appraisal,survey');
    expect(doc.units.every((u: { block: unknown; predecessors: unknown[] }) => u.block === null)).toBe(true);
  });
});

describe('refused whole, at the cell', () => {
  const header = ['code', 'name', 'kind', 'parent_code', 'block', 'official_code', 'predecessor_codes'];

  it('a block on some units only', async () => {
    const errors = await refusal(
      province('khoi-thieu', [
        header,
        ['phuong-moi', 'Phường Mới', 'phường', null, 'Phường', null, null],
        ['xa-moi', 'Xã Mới', 'xã', null, null, null, null],
        ['phuong-hai', 'Phường Hai', 'phường', null, 'Phường', null, null],
        ['dac-khu-thu', 'Đặc khu Thử', 'đặc khu', null, null, null, null],
      ]),
    );
    expect(errors).toEqual([
      expect.stringMatching(/^units, dòng 3, cột block: chưa có khối/),
      expect.stringMatching(/^units, dòng 5, cột block: chưa có khối/),
    ]);
  });

  it('the unit itself as its predecessor, an official code with letters', async () => {
    const errors = await refusal(
      province('ke-thua-sai', [
        header,
        ['phuong-moi', 'Phường Mới', 'phường', null, null, '0000A', null],
        ['xa-moi', 'Xã Mới', 'xã', null, null, null, 'xa-cu-c; xa-moi'],
        ['phuong-hai', 'Phường Hai', 'phường', null, null, null, null],
        ['dac-khu-thu', 'Đặc khu Thử', 'đặc khu', null, null, null, null],
      ]),
    );
    expect(errors).toEqual([
      'units, dòng 2, cột official_code: mã đơn vị hành chính chỉ gồm chữ số (0000A)',
      'units, dòng 3, cột predecessor_codes: đơn vị không thể kế thừa chính nó',
    ]);
  });

  it('a predecessor not in the portal', async () => {
    const errors = await refusal(
      province('ke-thua-thieu', [
        header,
        ['phuong-moi', 'Phường Mới', 'phường', null, null, null, 'xa-cu-a; xa-khong-co'],
        ['xa-moi', 'Xã Mới', 'xã', null, null, null, null],
        ['phuong-hai', 'Phường Hai', 'phường', null, null, null, null],
        ['dac-khu-thu', 'Đặc khu Thử', 'đặc khu', null, null, null, null],
      ]),
    );
    expect(errors).toEqual([
      'units, dòng 2, cột predecessor_codes: đơn vị kế thừa xa-khong-co chưa có trên hệ thống: nhập kỳ đánh giá có đơn vị đó trước',
    ]);
  });

  it('links that would make a unit continue itself', async () => {
    // phuong-moi continues xa-cu-a (stored above); xa-cu-a may not now continue phuong-moi.
    const errors = await refusal({
      ...formerDistrict,
      campaign: campaignSheet('vong-tron', 2026),
      units: [header, ['xa-cu-a', 'Xã Cũ A', 'xã', null, null, null, 'phuong-moi']],
      components: [
        ['unit_code', 'appraisal', 'survey'],
        ['xa-cu-a', 60, 25],
      ],
    });
    expect(errors).toEqual([
      'units, dòng 2, cột predecessor_codes: các đơn vị kế thừa nhau thành vòng: xa-cu-a → phuong-moi → xa-cu-a',
    ]);
  });
});
