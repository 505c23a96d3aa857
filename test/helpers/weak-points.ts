// A small campaign in two blocks and its previous year, for the weak points' pages: Xã A and Xã B lose points, Xã C
// is formed from Xã D (scored last year) and Xã E (known by component points), Phường P loses nothing.
import { type Sheets, validSheets } from './workbook.ts';

const full = (unit: string) => [
  [unit, '1.1', 4, 4, 'no', null, null],
  [unit, '1.2', 6, 6, 'no', null, null],
  [unit, '2.1', 5, 5, 'no', null, null],
  [unit, '2.2', null, 5, 'no', null, null],
  [unit, '2.3', null, 0, 'no', null, null],
];

/** Last year: Xã A full on field 1; Xã D scored; Xã E known by component points only. */
export function lastYear(): Sheets {
  const s = validSheets('yeu-2023');
  s.campaign = s.campaign!.map((r) => (r[0] === 'year' ? ['year', 2023] : r));
  s.units = [
    ['code', 'name', 'kind', 'parent_code'],
    ['xa-a', 'Xã A', 'xã', null],
    ['xa-b', 'Xã B', 'xã', null],
    ['xa-d', 'Xã D', 'xã', null],
    ['xa-e', 'Xã E', 'xã', null],
  ];
  s.scores = [
    s.scores![0]!,
    ['xa-a', '1.1', 4, 4, 'no', null, null],
    ...s.scores!.slice(2, 6),
    ...s.scores!.slice(6),
    ['xa-d', '1.1', 4, 3, 'no', null, null],
    ...full('xa-d').slice(1),
  ];
  s.survey = [...s.survey!, ['xa-d', 40, 300, null]];
  s.components = [s.components![0]!, ['xa-e', 50, 20]];
  return s;
}

/** This year, in two blocks: Xã C formed from Xã D and Xã E; Phường P lost nothing. */
export function thisYear(code = 'yeu-2024'): Sheets {
  const s = validSheets(code);
  s.units = [
    ['code', 'name', 'kind', 'parent_code', 'block', 'predecessor_codes'],
    ['xa-a', 'Xã A', 'xã', null, 'Khối xã', null],
    ['xa-b', 'Xã B', 'xã', null, 'Khối xã', null],
    ['xa-c', 'Xã C', 'xã', null, 'Khối xã', 'xa-d; xa-e'],
    ['phuong-p', 'Phường P', 'phường', null, 'Khối phường', null],
  ];
  s.scores = [
    ...s.scores!,
    ['xa-c', '1.1', 4, 2, 'no', null, 'Chưa đủ minh chứng'],
    ...full('xa-c').slice(1),
    ...full('phuong-p'),
  ];
  s.survey = [...s.survey!, ['xa-c', 40, 300, null], ['phuong-p', 40, 320, null]];
  s.components = [s.components![0]!];
  return s;
}
