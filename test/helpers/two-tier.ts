// A province in the two-tier shape, as workbooks: last year's communes of a former district (known by their component
// points) and this year's wards and communes in two blocks, formed from them by mergers.
import type { Sheets } from './workbook.ts';

export const campaignSheet = (code: string, year: number) => [
  ['key', 'value'],
  ['code', code],
  ['name', `Chỉ số CCHC ${year}`],
  ['year', year],
  ['organizer', 'UBND tỉnh Thử'],
  ['composition', 'appraisal:70,survey:30'],
  ['bands', 'Xuất sắc:95;Tốt:85;Khá:75;Trung bình:70;Yếu:0'],
];
export const criteria = [
  ['code', 'title', 'max_score'],
  ['1', 'Lĩnh vực 1', 10],
  ['1.1', 'Tiêu chí 1.1', 10],
];

/** Last year's communes of a former district, known by their component points. */
export const formerDistrict: Sheets = {
  campaign: campaignSheet('huyen-cu-2024', 2024),
  units: [
    ['code', 'name', 'kind'],
    ['xa-cu-a', 'Xã Cũ A', 'xã'],
    ['xa-cu-b', 'Xã Cũ B', 'xã'],
    ['xa-cu-c', 'Xã Cũ C', 'xã'],
  ],
  criteria,
  components: [
    ['unit_code', 'appraisal', 'survey'],
    ['xa-cu-a', 60, 25.2],
    ['xa-cu-b', 55, 23.1],
    ['xa-cu-c', 50, 20],
  ],
};

/** This year's wards and communes, in two blocks, formed from the former communes. */
export function province(code = 'tinh-thu-2025', units?: Sheets[string]): Sheets {
  return {
    campaign: campaignSheet(code, 2025),
    units: units ?? [
      ['code', 'name', 'kind', 'parent_code', 'block', 'official_code', 'predecessor_codes'],
      ['phuong-moi', 'Phường Mới', 'phường', null, 'Phường', '00004', 'xa-cu-a; xa-cu-b'],
      ['xa-moi', 'Xã Mới', 'xã', null, 'Xã, đặc khu', '00007', 'xa-cu-c'],
      ['phuong-hai', 'Phường Hai', 'phường', null, 'Phường', null, null],
      ['dac-khu-thu', 'Đặc khu Thử', 'đặc khu', null, 'Xã, đặc khu', null, null],
    ],
    criteria,
    components: [
      ['unit_code', 'appraisal', 'survey'],
      ['phuong-moi', 65, 25],
      ['xa-moi', 60, 20],
      ['phuong-hai', 65, 25],
      ['dac-khu-thu', 66, 29],
    ],
  };
}
