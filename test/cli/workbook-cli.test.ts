import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readWorkbook } from '../../src/features/workbook/index.ts';
import { cliWorkspace } from '../helpers/cli.ts';
import { buildWorkbook, samplesDir, setCell, tableCounts, validSheets } from '../helpers/workbook.ts';

const ws = cliWorkspace('cchc-cli-');
const { dir } = ws;
const sample = fileURLToPath(new URL('sample-province-2023.xlsx', samplesDir));

const cli = async (...args: string[]) => {
  const run = await ws.run(...args);
  return { ...run, stdout: run.stdout.toString() };
};

// Each run starts Node, loads the ORM and connects: seconds apiece, several per test.
describe('import-workbook', { timeout: 90_000 }, () => {
  it('imports a workbook and says what it imported (exit 0)', async () => {
    const run = await cli('import-workbook', sample);
    // stderr carries only its progress ("… step (n s)"): no warning, no error.
    const lines = run.stderr.trim().split('\n');
    expect(lines.filter((line) => !/^… .+ \(\d+\.\d s\)$/.test(line))).toEqual([]);
    expect(lines[0]).toMatch(/^… reading the workbook \(\d+\.\d MB\)/);
    expect(lines).toContainEqual(
      expect.stringMatching(/^… read: 8 units, 15 criteria, 88 scores; checking against the database/),
    );
    expect(lines.at(-1)).toMatch(/^… written/);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Imported campaign tinh-mau-2023 (state council-review):');
    expect(run.stdout).toContain('units: 8 new, 0 updated');
    expect(run.stdout).toContain('criteria: 15, scores: 88, survey results: 0, component points: 0');
  });

  it('prints each error on its own line naming sheet, row and column, changes nothing (exit 1)', async () => {
    const sheets = validSheets('cli-loi');
    setCell(sheets, 'scores', 2, 'appraised_score', 4.5);
    setCell(sheets, 'units', 3, 'parent_code', 'khong-co');
    const file = path.join(dir, 'loi.xlsx');
    await writeFile(file, await buildWorkbook(sheets));
    const before = await tableCounts(ws.orm);
    const run = await cli('import-workbook', file);
    expect(run.status).toBe(1);
    // Beside its progress lines ("… step (n s)"), exactly the errors, in Vietnamese and then in English.
    expect(
      run.stderr
        .trim()
        .split('\n')
        .filter((line) => !line.startsWith('… ')),
    ).toEqual([
      'scores, dòng 2, cột appraised_score: điểm thẩm định 4,5 phải từ 0 đến 4',
      'scores, row 2, column appraised_score: the appraised score 4.5 must lie between 0 and 4',
      'Nothing was imported: 1 error(s).',
    ]);
    expect(await tableCounts(ws.orm)).toEqual(before);

    setCell(sheets, 'scores', 2, 'appraised_score', 3.5);
    await writeFile(file, await buildWorkbook(sheets));
    const again = await cli('import-workbook', file);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(
      'units, dòng 3, cột parent_code: đơn vị cấp trên khong-co không có trong trang units và trên hệ thống\n',
    );
    expect(await tableCounts(ws.orm)).toEqual(before);
  });

  it('refuses a campaign already there (exit 1)', async () => {
    const run = await cli('import-workbook', sample);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('campaign, dòng 2, cột code: kỳ đánh giá mã tinh-mau-2023 đã có trên hệ thống');
  });

  it('refuses --publish for a workbook without results, importing nothing (exit 1)', async () => {
    const file = path.join(dir, 'publish.xlsx');
    const sheets = validSheets('cli-publish');
    delete sheets.scores;
    delete sheets.survey;
    delete sheets.components;
    await writeFile(file, await buildWorkbook(sheets));
    const before = await tableCounts(ws.orm);
    const run = await cli('import-workbook', file, '--publish');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Nothing was imported.');
    expect(await tableCounts(ws.orm)).toEqual(before);
  });

  it('explains a missing file or argument (exit 1)', async () => {
    expect((await cli('import-workbook')).status).toBe(1);
    const missing = await cli('import-workbook', path.join(dir, 'khong-co.xlsx'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('ENOENT');
  });
});

describe('export-workbook', { timeout: 90_000 }, () => {
  it("writes the campaign's workbook (exit 0), and refuses an unknown code (exit 1)", async () => {
    const out = path.join(dir, 'tinh.xlsx');
    const run = await cli('export-workbook', 'tinh-mau-2023', '--out', out);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`Wrote ${out}\n`);
    const read = await readWorkbook(await readFile(out));
    expect(
      read.ok && [read.workbook.campaign.precision, read.workbook.campaign.rounding, read.workbook.scores.length],
    ).toEqual([3, 'down', 88]);

    const unknown = await cli('export-workbook', 'khong-co', '--out', path.join(dir, 'x.xlsx'));
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toBe('No campaign with code khong-co.\n');
    expect((await cli('export-workbook', 'tinh-mau-2023')).status).toBe(1);
  });
});
