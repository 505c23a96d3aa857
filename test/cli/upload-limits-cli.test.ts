// import-workbook keeps the upload form's limits: over one, it prints the message naming it (Vietnamese, then
// English), exits 1 and writes nothing.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliWorkspace } from '../helpers/cli.ts';
import { bombSheet, rawXlsx } from '../helpers/raw-xlsx.ts';
import { tableCounts } from '../helpers/workbook.ts';

const ws = cliWorkspace('cchc-cli-limits-');

describe('import-workbook over a limit', { timeout: 90_000 }, () => {
  it('refuses a decompression bomb with the limit named, exit 1, nothing written', async () => {
    const file = path.join(ws.dir, 'bom.xlsx');
    await writeFile(file, rawXlsx([{ name: 'units', part: bombSheet('units', 1024 ** 3) }]));
    const before = await tableCounts(ws.orm);
    const run = await ws.run('import-workbook', file);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'Phần xl/worksheets/sheet1.xml của tệp khi giải nén lớn hơn 256 MB, mức tối đa được nhận. Chưa có gì được nhập.',
    );
    expect(run.stderr).toContain(
      'The part xl/worksheets/sheet1.xml of the file inflates to more than 256 MB, the most accepted. Nothing was imported.',
    );
    expect(await tableCounts(ws.orm)).toEqual(before);
  });

  it('refuses a file over WORKBOOK_MAX_MB before reading it', async () => {
    const file = path.join(ws.dir, 'lon.xlsx');
    await writeFile(file, Buffer.alloc(11 * 1024 * 1024));
    const run = await ws.run('import-workbook', file);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Tệp lớn hơn 10 MB, mức tối đa được nhận. Chưa có gì được nhập.');
    expect(run.stderr).toContain('The file is larger than 10 MB, the most accepted. Nothing was imported.');
  });
});
