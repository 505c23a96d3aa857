// Figure 9's hostile workbooks, made by `node bench/hostile-files.ts DIR` in a process of its own, so that the bench
// process (which holds the app) does not carry the generator's memory into its idle figure. Prints the files' names.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { bombSheet, millionRowWorkbook, rawXlsx } from '../test/helpers/raw-xlsx.ts';

const dir = process.argv[2]!;
const bomb = bombSheet('units', 3 * 1024 ** 3);
// The bombs first: the heap the million rows leave behind (V8 keeps it) would hide what the bombs cost.
const files: [string, Buffer][] = [
  ['3 GiB decompression bomb (declared)', rawXlsx([{ name: 'units', part: bomb }])],
  ['3 GiB bomb declaring 1 MiB', rawXlsx([{ name: 'units', part: { ...bomb, declaredSize: 1024 * 1024 } }])],
  ['1,000,000 score rows', millionRowWorkbook({ sheet: 'scores' })],
];
for (const [i, [, data]] of files.entries()) writeFileSync(path.join(dir, `hostile-${i}.xlsx`), data);
console.log(JSON.stringify(files.map(([name], i) => ({ name, file: path.join(dir, `hostile-${i}.xlsx`) }))));
