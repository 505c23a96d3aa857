// The secretariat's results report (Báo cáo kết quả xác định Chỉ số CCHC), from the frozen publication: what was
// assessed and how, the band distribution per block, the averages per component and field, the comparison with the
// same units' previous campaign, the leading and trailing units, and the criteria where most units lost points (the
// weak points of src/domain/weak-points.ts), each with its numbers.
import type { EntityManager } from '@mikro-orm/postgresql';
import { TableRow, type Paragraph, type Table } from 'docx';
import { formatDate } from '../../domain/dates.ts';
import { dec, formatVi, rational, roundRational, sum, type Dec, type Places } from '../../domain/decimal.ts';
import { percentOf, type CriterionLoss } from '../../domain/weak-points.ts';
import { compareCriterionCodes } from '../../domain/scoring.ts';
import { notSubmittedStatus } from '../../domain/standing.ts';
import type { PublishedUnit, ResultsDocument } from '../publication/document.ts';
import { publicationDocument } from '../publication/stored.ts';
import { previousCampaign } from '../published/campaign-page.ts';
import { criterionTitles } from '../published/unit-page.ts';
import { publishedBlockWeakPoints } from '../published/weak-points.ts';
import {
  cell,
  columnsFilling,
  dataTable,
  keepWithSignature,
  letterhead,
  para,
  placeOf,
  PORTRAIT_TEXT_WIDTH,
  signatureBlock,
} from '../print-docx.ts';
import { blocksOf, componentHeading, decisionNumberOf, type DocumentSource, councilDocx } from './source.ts';

export interface ReportFacts {
  previous: { year: number; name: string; doc: ResultsDocument } | null;
  /** Per block (in the publication's order): the criteria where units lost points, most units losing first. */
  weak: { block: string | null; units: number; criteria: CriterionLoss[] }[];
  titles: Map<string, string>;
}

/** How many criteria, and leading and trailing units, each block lists. */
const shownCriteria = 10;
const shownUnits = 5;

export async function loadReportFacts(em: EntityManager, s: DocumentSource): Promise<ReportFacts> {
  const prev = await previousCampaign(em, s.pub, s.campaign.year);
  const places = s.campaign.precision as Places;
  const weak: ReportFacts['weak'] = [];
  for (const b of blocksOf(s.doc)) {
    const found = await publishedBlockWeakPoints(em, s.pub, b.name, places);
    if (!found) continue;
    const criteria = [...found.criteria]
      .sort(
        (a, c) =>
          c.losing - a.losing ||
          (a.averageLost === c.averageLost ? 0 : a.averageLost > c.averageLost ? -1 : 1) ||
          compareCriterionCodes(a.code, c.code),
      )
      .slice(0, shownCriteria);
    weak.push({ block: b.name, units: found.units, criteria });
  }
  return {
    previous: prev
      ? { year: prev.year, name: prev.name, doc: await publicationDocument(em, prev.publication_id) }
      : null,
    weak,
    titles: await criterionTitles(em, s.campaign.id),
  };
}

const ranked = (units: readonly PublishedUnit[]) =>
  units.filter((u) => u.index !== null && u.status !== notSubmittedStatus);

/** The mean of some values, half up at `places`; null when there are none. */
function mean(values: readonly Dec[], places: Places): Dec | null {
  if (!values.length) return null;
  return roundRational(rational(sum(values), BigInt(values.length) * 1000n), places, 'half-up');
}

export async function buildResultsReportDocx(s: DocumentSource, f: ReportFacts): Promise<Buffer> {
  const width = PORTRAIT_TEXT_WIDTH;
  const places = s.campaign.precision as Places;
  const vi = (d: Dec | null, p: Places = places) => (d === null ? '—' : formatVi(d, p));
  const doc = s.doc;
  const blocks = blocksOf(doc);
  const scored = ranked(doc.units);
  const notSubmitted = doc.units.length - scored.length;
  const heading = (text: string) =>
    para({ text, bold: true }, { keepNext: true, spacing: { before: 240, after: 120 } });
  const sub = (text: string) =>
    para({ text, bold: true, italics: true }, { keepNext: true, spacing: { before: 180, after: 80 } });
  const text = (t: string) => para({ text: t, align: 'both' }, { spacing: { after: 80 } });
  /** A table row: the text columns (`left`) aligned left, the numbers centred. */
  const row = (values: string[], columns: number[], left: readonly number[] = [0]) =>
    new TableRow({
      cantSplit: true,
      children: values.map((v, i) => cell([{ text: v, align: left.includes(i) ? 'left' : 'center' }], columns[i]!)),
    });
  const blockName = (name: string | null) => (name === null ? 'Toàn bộ đơn vị' : `Khối ${name}`);

  // I. What was assessed and how.
  const method: Paragraph[] = [
    text(
      `Kỳ đánh giá: ${s.campaign.name}, thực hiện theo ${s.campaign.decision || `kế hoạch của ${s.campaign.organizer}`}.`,
    ),
    text(
      `Số đơn vị được đánh giá: ${doc.units.length}${blocks.length > 1 || blocks[0]?.name ? `, xếp hạng trong ${blocks.length} khối (${blocks.map((b) => `${blockName(b.name)}: ${b.units.length}`).join('; ')})` : ''}; ${scored.length} đơn vị có kết quả${notSubmitted ? `, ${notSubmitted} đơn vị không nộp báo cáo tự đánh giá` : ''}.`,
    ),
    text(
      `Chỉ số CCHC gồm: ${doc.composition.map((c) => componentHeading(c.key, c.max)).join(' + ')} điểm; điểm được làm tròn đến ${s.campaign.precision} chữ số thập phân (${doc.campaign.rounding === 'down' ? 'cắt bỏ' : 'làm tròn lên từ 5'}).`,
    ),
    text(`Xếp loại: ${doc.bands.map((b) => `${b.name} từ ${formatVi(dec(b.min))} điểm`).join('; ')}.`),
    text(
      `Kết quả được Chủ tịch phê duyệt${decisionNumberOf(s) ? ` theo Quyết định số ${decisionNumberOf(s)}` : ''}${s.pub.decisionDate ? ` ngày ${formatDate(s.pub.decisionDate)}` : ''} và công bố ngày ${formatDate(new Date(s.pub.publishedAt))} (phiên bản ${s.pub.version}).`,
    ),
  ];

  // II.1 Band distribution per block.
  const bandNames = doc.bands.map((b) => b.name);
  const distColumns = columnsFilling(width, [
    2200,
    ...bandNames.map(() => Math.floor((width - 2200 - 2400) / bandNames.length)),
    1200,
  ]);
  const distHeader = ['Khối', ...bandNames, 'Không nộp', 'Chỉ số bình quân'];
  const distRows = blocks.map((b) => {
    const r = ranked(b.units);
    return row(
      [
        blockName(b.name),
        ...bandNames.map((n) => {
          const k = r.filter((u) => u.band === n).length;
          return r.length ? `${k} (${formatVi(percentOf(dec(k), dec(r.length)), 1)}%)` : '0';
        }),
        String(b.units.length - r.length),
        vi(
          mean(
            r.map((u) => dec(u.index!)),
            places,
          ),
        ),
      ],
      distColumns,
    );
  });

  // II.2 Averages per component and field.
  const avgColumns = columnsFilling(width, [3800, 1500, 1600]);
  const componentRows = doc.composition.map((c) =>
    row(
      [
        componentHeading(c.key, c.max).replace(/ \(.*\)$/, ''),
        formatVi(dec(c.max)),
        vi(
          mean(
            scored.map((u) => dec(u.components[c.key] ?? 0)),
            places,
          ),
        ),
        vi(
          mean(
            scored.map((u) => percentOf(dec(u.components[c.key] ?? 0), dec(c.max))),
            1,
          ),
          1,
        ),
      ],
      avgColumns,
    ),
  );
  const fieldCodes: { code: string; title: string; max: number }[] = [];
  for (const u of scored)
    for (const x of u.fields)
      if (!fieldCodes.some((y) => y.code === x.code)) fieldCodes.push({ code: x.code, title: x.title, max: x.max });
  fieldCodes.sort((a, b) => compareCriterionCodes(a.code, b.code));
  const fieldRows = fieldCodes.map((fc) => {
    const applying = scored.flatMap((u) => u.fields.filter((x) => x.code === fc.code && x.applicableMax > 0));
    return row(
      [
        `Lĩnh vực ${fc.code}. ${fc.title}${applying.length < scored.length ? ` (${applying.length} đơn vị áp dụng)` : ''}`,
        formatVi(dec(fc.max)),
        vi(
          mean(
            applying.map((x) => dec(x.score)),
            places,
          ),
        ),
        vi(
          mean(
            applying.map((x) => percentOf(dec(x.score), dec(x.applicableMax))),
            1,
          ),
          1,
        ),
      ],
      avgColumns,
    );
  });

  // II.3 Comparison with the previous campaign.
  const compare: (Paragraph | Table)[] = [];
  if (f.previous) {
    const before = ranked(f.previous.doc.units);
    const indexOf = new Map(before.map((u) => [u.code, dec(u.index!)]));
    const both = scored.filter((u) => indexOf.has(u.code));
    const up = both.filter((u) => dec(u.index!) > indexOf.get(u.code)!).length;
    const down = both.filter((u) => dec(u.index!) < indexOf.get(u.code)!).length;
    const stats = (units: PublishedUnit[], p: Places) => {
      const values = units.map((u) => dec(u.index!));
      return {
        mean: vi(mean(values, p), p),
        top: values.length
          ? vi(
              values.reduce((a, b) => (b > a ? b : a)),
              p,
            )
          : '—',
        low: values.length
          ? vi(
              values.reduce((a, b) => (b < a ? b : a)),
              p,
            )
          : '—',
      };
    };
    const prevPlaces = f.previous.doc.campaign.precision as Places;
    const a = stats(before, prevPlaces);
    const b = stats(scored, places);
    const cmpColumns = columnsFilling(width, [4200, 2400]);
    const cmpRows = [
      ['Số đơn vị có kết quả', String(before.length), String(scored.length)],
      ['Chỉ số bình quân', a.mean, b.mean],
      ['Chỉ số cao nhất', a.top, b.top],
      ['Chỉ số thấp nhất', a.low, b.low],
      ...bandNames.map((n) => [
        `Số đơn vị xếp loại ${n}`,
        String(before.filter((u) => u.band === n).length),
        String(scored.filter((u) => u.band === n).length),
      ]),
    ].map((r) => row(r, cmpColumns));
    compare.push(
      text(
        `So với ${f.previous.name}: trong ${both.length} đơn vị có kết quả cả hai năm, ${up} đơn vị tăng chỉ số, ${down} đơn vị giảm, ${both.length - up - down} đơn vị giữ nguyên.`,
      ),
      dataTable(width, cmpColumns, ['Chỉ tiêu', `Năm ${f.previous.year}`, `Năm ${s.campaign.year}`], cmpRows),
    );
  } else {
    compare.push(text('Chưa có kết quả công bố của năm trước để so sánh.'));
  }

  // II.4 Leading and trailing units per block.
  const rankColumns = columnsFilling(width, [900, 4600, 1500]);
  const standing = blocks.flatMap((b) => {
    const r = ranked(b.units);
    if (!r.length) return [];
    const n = Math.min(shownUnits, Math.max(1, Math.floor(r.length / 2)));
    const line = (u: PublishedUnit) =>
      row([String(u.rank), u.name, vi(dec(u.index!)), u.band ?? '—'], rankColumns, [1]);
    return [
      ...(blocks.length > 1 || b.name ? [sub(blockName(b.name))] : []),
      para({ text: `${n} đơn vị dẫn đầu:`, italics: true }, { keepNext: true }),
      dataTable(width, rankColumns, ['Hạng', 'Đơn vị', 'Chỉ số CCHC', 'Xếp loại'], r.slice(0, n).map(line)),
      para({ text: `${n} đơn vị cuối bảng:`, italics: true }, { keepNext: true, spacing: { before: 120 } }),
      dataTable(width, rankColumns, ['Hạng', 'Đơn vị', 'Chỉ số CCHC', 'Xếp loại'], r.slice(-n).map(line)),
    ];
  });

  // II.5 The criteria where most units lost points.
  const weakColumns = columnsFilling(width, [3900, 900, 1500, 1100]);
  const weak = f.weak.flatMap((w) => [
    ...(f.weak.length > 1 || w.block ? [sub(`${blockName(w.block)} (${w.units} đơn vị)`)] : []),
    ...(w.criteria.length
      ? [
          dataTable(
            width,
            weakColumns,
            ['Tiêu chí', 'Điểm tối đa', 'Số đơn vị bị mất điểm / áp dụng', 'Tỷ lệ', 'Bình quân điểm bị mất'],
            w.criteria.map((c) =>
              row(
                [
                  `${c.code}. ${f.titles.get(c.code) ?? ''}`,
                  formatVi(c.max),
                  `${c.losing}/${c.units}`,
                  `${formatVi(c.share, 1)}%`,
                  formatVi(c.averageLost),
                ],
                weakColumns,
              ),
            ),
          ),
        ]
      : [text('Không có tiêu chí nào bị mất điểm.')]),
  ]);

  const title = `Báo cáo kết quả xác định Chỉ số CCHC năm ${s.campaign.year} - ${s.campaign.name}`;
  return councilDocx(s, title, [
    letterhead({
      parent: s.campaign.organizer,
      body: 'Hội đồng thẩm định',
      number: 'Số:        /BC-HĐTĐ',
      place: placeOf(s.campaign.organizer),
      date: new Date(s.pub.publishedAt),
      width,
    }),
    para({ text: 'BÁO CÁO', bold: true, align: 'center', size: 28 }, { spacing: { before: 360 } }),
    para(
      { text: `Kết quả xác định Chỉ số cải cách hành chính năm ${s.campaign.year}`, bold: true, align: 'center' },
      { spacing: { after: 240 } },
    ),
    heading('I. ĐỐI TƯỢNG, PHẠM VI VÀ PHƯƠNG PHÁP ĐÁNH GIÁ'),
    ...method,
    heading('II. KẾT QUẢ'),
    sub('1. Phân bố xếp loại theo khối'),
    dataTable(width, distColumns, distHeader, distRows),
    sub('2. Điểm bình quân theo thành phần và lĩnh vực'),
    dataTable(
      width,
      avgColumns,
      ['Thành phần, lĩnh vực', 'Điểm tối đa', 'Điểm bình quân', 'Tỷ lệ đạt bình quân (%)'],
      [...componentRows, ...fieldRows],
    ),
    sub('3. So sánh với năm trước'),
    ...compare,
    sub('4. Đơn vị dẫn đầu và cuối bảng'),
    ...(standing.length ? standing : [text('Không có đơn vị nào có kết quả.')]),
    sub(`5. Các tiêu chí nhiều đơn vị bị mất điểm nhất (tối đa ${shownCriteria} tiêu chí mỗi khối)`),
    ...weak,
    heading('III. KIẾN NGHỊ'),
    text(
      'Đề nghị các đơn vị căn cứ kết quả và các tiêu chí bị mất điểm nêu trên xây dựng kế hoạch khắc phục những tồn tại, hạn chế; các cơ quan chuyên môn hướng dẫn, theo dõi việc khắc phục theo lĩnh vực được giao.',
    ),
    keepWithSignature(),
    signatureBlock({
      recipients: [
        'Chủ tịch Hội đồng thẩm định (để báo cáo);',
        `${s.campaign.organizer} (để báo cáo);`,
        'Các đơn vị được đánh giá;',
        'Lưu: VT.',
      ],
      signer: { title: ['TM. TỔ THƯ KÝ', 'TỔ TRƯỞNG'], note: '(Ký, ghi rõ họ tên)' },
      width,
    }),
  ]);
}
