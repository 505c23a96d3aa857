import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { cliWorkspace } from '../helpers/cli.ts';
import { buildWorkbook, type Sheets } from '../helpers/workbook.ts';

const ws = cliWorkspace('cchc-publish-cli-');
const { dir } = ws;
const cli = ws.run;

/** PAR Index 2012 (provinces), as published: appraisal + survey points only. Đà Nẵng 53.25 + 33.87 = 87.12, first. */
const past: Sheets = {
  campaign: [
    ['key', 'value'],
    ['code', 'par-2012'],
    ['name', 'Chỉ số CCHC cấp tỉnh năm 2012'],
    ['year', 2012],
    ['organizer', 'Bộ Nội vụ'],
    ['composition', 'appraisal:61.5,survey:38.5'],
    ['bands', 'A:90;B:80;C:0'],
  ],
  units: [
    ['code', 'name', 'kind', 'parent_code'],
    ['da-nang', 'Đà Nẵng', 'tỉnh', null],
    ['dong-thap', 'Đồng Tháp', 'tỉnh', null],
    ['quang-ninh', 'Quảng Ninh', 'tỉnh', null],
  ],
  criteria: [
    ['code', 'title', 'max_score', 'min_score', 'kind', 'agency_code', 'evidence_required', 'guidance', 'scoring'],
    ['1', 'Công tác chỉ đạo, điều hành', 100, 0, 'self', null, 'no', null, null],
  ],
  components: [
    ['unit_code', 'appraisal', 'survey'],
    ['da-nang', 53.25, 33.87],
    ['dong-thap', 50.1, 32.47],
    ['quang-ninh', 49.96, 32.61],
  ],
};

describe('a past year from its component points', () => {
  it('is imported and published in one go, then export-results reproduces the published table', {
    timeout: 180_000,
  }, async () => {
    const file = path.join(dir, 'par-2012.xlsx');
    await writeFile(file, await buildWorkbook(past));
    const run = await cli('import-workbook', file, '--publish');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.toString()).toContain('Published version 1');
    // The long steps say where they are.
    const progress = run.stderr.toString();
    expect(progress).toMatch(/^… publishing par-2012: loading the scores \(\d+\.\d s\)$/m);
    expect(progress).toMatch(/^… published rows: (\d+)\/\1 units \(\d+\.\d s\)$/m);

    const json = await cli('export-results', 'par-2012');
    expect(json.status).toBe(0);
    const doc = JSON.parse(json.stdout.toString());
    expect(
      doc.units.map(
        (u: {
          code: string;
          rank: number;
          index: number;
          band: string;
          components: unknown;
          points: unknown;
          fields: unknown[];
        }) => [u.code, u.rank, u.index, u.band, u.components, u.points, u.fields.length],
      ),
    ).toEqual([
      ['da-nang', 1, 87.12, 'B', { appraisal: 53.25, survey: 33.87 }, null, 0],
      ['dong-thap', 2, 82.57, 'B', { appraisal: 50.1, survey: 32.47 }, null, 0],
      ['quang-ninh', 2, 82.57, 'B', { appraisal: 49.96, survey: 32.61 }, null, 0],
    ]);
    const [{ sha256, audit }] = await ws.orm.em
      .fork()
      .execute(
        `select p.sha256, (select action from audit_event where entity_type = 'Publication' and entity_id = p.id::text) as audit from publication p`,
      );
    expect(createHash('sha256').update(json.stdout).digest('hex')).toBe(sha256);
    expect(audit).toBe('campaign.published-imported');

    const csv = await cli('export-results', 'par-2012', '--format', 'csv');
    const text = csv.stdout.toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('rank,unit_code,unit_name,index,band,appraisal,survey');
    expect(lines[1]).toBe('1,da-nang,Đà Nẵng,87.12,B,53.25,33.87');

    const out = path.join(dir, 'par-2012-results.xlsx');
    expect((await cli('export-results', 'par-2012', '--format', 'xlsx', '--out', out)).status).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await readFile(out)) as unknown as ExcelJS.Buffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(2).values).toEqual([undefined, 1, 'da-nang', 'Đà Nẵng', 87.12, 'B', 53.25, 33.87]);
  });

  it('answers an unknown campaign or format with exit status 1', { timeout: 120_000 }, async () => {
    expect((await cli('export-results', 'khong-co')).status).toBe(1);
    expect((await cli('export-results', 'par-2012', '--format', 'pdf')).status).toBe(1);
  });
});
