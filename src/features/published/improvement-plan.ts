// The improvement plan (Kế hoạch khắc phục): a unit's published weak points as a DOCX for it to complete — every
// criterion where it lost points, most lost first, with the appraisers' reason and the criterion's guidance, and
// empty columns for the remedy, the deadline and who is responsible. Built with the shared letterhead and signature
// block of print-docx.ts; the document is in Vietnamese, as official documents are.
import { Document, Table, TableLayoutType, TableRow, WidthType } from 'docx';
import { formatVi } from '../../domain/decimal.ts';
import { foldDiacritics } from '../../domain/text.ts';
import type { UnitWeakPoints } from '../../domain/weak-points.ts';
import {
  cell,
  documentStyles,
  issuingBody,
  keepWithSignature,
  letterhead,
  packDocx,
  page,
  para,
  placeOf,
  signatureBlock,
  TEXT_WIDTH,
} from '../print-docx.ts';
import type { CriterionText } from './weak-points.ts';

export interface PlanData {
  unit: { code: string; name: string };
  campaign: { code: string; name: string; year: number; organizer: string };
  version: number;
  weak: UnitWeakPoints;
  texts: ReadonlyMap<string, CriterionText>;
  fieldTitles: ReadonlyMap<string, string>;
  now: Date;
}

const COLUMNS = [600, 2800, 900, 2200, 3000, 2000, 1100];
COLUMNS.push(TEXT_WIDTH - COLUMNS.reduce((a, b) => a + b, 0));

export function planFileNames(d: PlanData): { name: string; ascii: string } {
  const slug = foldDiacritics(d.unit.name)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return {
    name: `Kế hoạch khắc phục - ${d.unit.name} - ${d.campaign.year}.docx`,
    ascii: `ke-hoach-khac-phuc-${slug || 'don-vi'}-${d.campaign.year}.docx`,
  };
}

export async function buildPlanDocx(d: PlanData): Promise<Buffer> {
  const heading = letterhead({
    body: issuingBody(d.unit.name),
    number: 'Số:        /KH-UBND',
    place: placeOf(d.unit.name),
    date: d.now,
  });
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: [
      'TT',
      'Tiêu chí',
      'Điểm bị mất',
      'Lý do của cơ quan thẩm định',
      'Hướng dẫn của tiêu chí',
      'Giải pháp',
      'Thời hạn',
      'Người phụ trách',
    ].map((text, i) => cell([{ text, bold: true, align: 'center' }], COLUMNS[i]!, true)),
  });
  const rows = d.weak.criteria.map(
    (c, i) =>
      new TableRow({
        cantSplit: true,
        children: [
          cell([{ text: String(i + 1), align: 'center' }], COLUMNS[0]!),
          cell([{ text: `${c.code}. ${d.texts.get(c.code)?.title ?? ''}` }], COLUMNS[1]!),
          cell([{ text: `${formatVi(c.lost)}/${formatVi(c.max)}`, align: 'center' }], COLUMNS[2]!),
          cell([{ text: c.reason }], COLUMNS[3]!),
          cell([{ text: (d.texts.get(c.code)?.guidance ?? '').trim() }], COLUMNS[4]!),
          cell([{ text: '' }], COLUMNS[5]!),
          cell([{ text: '' }], COLUMNS[6]!),
          cell([{ text: '' }], COLUMNS[7]!),
        ],
      }),
  );
  const table = new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: COLUMNS,
    layout: TableLayoutType.FIXED,
    rows: [header, ...rows],
  });
  const fields = d.weak.fields
    .filter((f) => f.lost > 0n)
    .map((f) =>
      para({
        text: `- Lĩnh vực ${f.code}. ${d.fieldTitles.get(f.code) ?? f.title}: đạt ${formatVi(f.score)}/${formatVi(f.applicableMax)} điểm (${formatVi(f.percent)}%), bị mất ${formatVi(f.lost)} điểm${f.blockPercent === null ? '' : `; bình quân của khối đạt ${formatVi(f.blockPercent)}%`}.`,
        align: 'both',
      }),
    );
  const signature = signatureBlock({
    recipients: [`${d.campaign.organizer} (để báo cáo);`, 'Lưu: VT.'],
    signer: { title: ['TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH'], note: '(Ký tên, đóng dấu)' },
  });
  const title = `Kế hoạch khắc phục tồn tại, hạn chế theo Chỉ số CCHC năm ${d.campaign.year} - ${d.unit.name}`;
  const doc = new Document({
    creator: 'Chỉ số CCHC',
    title,
    styles: documentStyles,
    sections: [
      {
        properties: { page: page('landscape') },
        children: [
          heading,
          para({ text: 'KẾ HOẠCH', bold: true, align: 'center', size: 28 }, { spacing: { before: 360 } }),
          para(
            {
              text: `Khắc phục những tồn tại, hạn chế theo kết quả Chỉ số CCHC năm ${d.campaign.year}`,
              bold: true,
              align: 'center',
              size: 28,
            },
            { spacing: { after: 240 } },
          ),
          para({
            text: `Căn cứ kết quả xác định Chỉ số CCHC năm ${d.campaign.year} do ${d.campaign.organizer} công bố (${d.campaign.name}, phiên bản ${d.version}), ${d.unit.name} xây dựng kế hoạch khắc phục các tiêu chí bị mất điểm như sau.`,
            align: 'both',
          }),
          para({ text: 'I. KẾT QUẢ THEO LĨNH VỰC', bold: true }, { spacing: { before: 240 } }),
          ...(fields.length ? fields : [para({ text: 'Đơn vị không bị mất điểm ở lĩnh vực nào.' })]),
          para(
            { text: 'II. CÁC TIÊU CHÍ BỊ MẤT ĐIỂM VÀ GIẢI PHÁP KHẮC PHỤC', bold: true },
            { spacing: { before: 240, after: 120 } },
          ),
          ...(rows.length ? [table] : [para({ text: 'Đơn vị không bị mất điểm ở tiêu chí áp dụng nào.' })]),
          keepWithSignature(),
          signature,
        ],
      },
    ],
  });
  return packDocx(doc, { title, creator: 'Chỉ số CCHC', dated: d.now });
}
