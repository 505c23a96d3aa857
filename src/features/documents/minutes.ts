// The appraisal minutes of a unit (Biên bản thẩm định): every criterion where the appraised score differs from the
// self score (both scores and the reason as published, the appraising agency and the day of its decision), the
// supplementary explanations asked and answered, and the on-site checks of the unit. Read in batches of units, so
// that a nation's minutes are made one unit after another in bounded memory.
import type { EntityManager } from '@mikro-orm/postgresql';
import { TableRow } from 'docx';
import { executeBound } from '../../db/sql.ts';
import { formatDate } from '../../domain/dates.ts';
import { dec, formatVi, sub, sum, type Places } from '../../domain/decimal.ts';
import { leafCodes } from '../../domain/weak-points.ts';
import { effectiveAgency } from '../appraisal/scope.ts';
import type { CriterionDetail } from '../published/unit-page.ts';
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
import { bandOf, notSubmittedWords, numberVi, type DocumentSource, councilDocx } from './source.ts';

export interface MinutesDifference {
  code: string;
  title: string;
  max: string;
  self: string;
  score: string;
  reason: string;
  agency: string | null;
  /** ISO day of the appraiser's decision (Vietnam), when recorded. */
  decidedOn: string | null;
}

export interface MinutesExplanation {
  code: string;
  title: string;
  agency: string | null;
  message: string;
  requestedOn: string;
  dueDate: string;
  answer: string | null;
  answeredOn: string | null;
}

export interface MinutesVisit {
  visitedOn: string;
  members: string;
  agency: string | null;
  findings: { code: string; title: string; result: 'match' | 'mismatch' | 'not-shown'; note: string }[];
}

export interface UnitMinutes {
  code: string;
  name: string;
  rank: number | null;
  index: number | null;
  band: string;
  submitted: boolean;
  selfPoints: string | null;
  points: number | null;
  applicableMax: number | null;
  differences: MinutesDifference[];
  explanations: MinutesExplanation[];
  visits: MinutesVisit[];
}

/** Units per batch of reading. */
const batchSize = 200;

/**
 * The minutes of every unit of the publication (or of `only`), in the publication's order, read `batchSize` units at
 * a time: four statements per batch, whatever the number of criteria.
 */
export async function* unitMinutes(
  em: EntityManager,
  s: DocumentSource,
  only?: readonly string[],
): AsyncGenerator<UnitMinutes> {
  const units = only ? s.doc.units.filter((u) => only.includes(u.code)) : s.doc.units;
  const titles = new Map(
    (
      await em.execute<{ code: string; title: string }[]>(
        'select c.code, c.title from criterion c join campaign k on k.criteria_set_id = c.criteria_set_id where k.id = ?',
        [s.campaign.id],
      )
    ).map((c) => [c.code, c.title]),
  );
  for (let from = 0; from < units.length; from += batchSize) {
    const batch = units.slice(from, from + batchSize);
    const codes = batch.map((u) => u.code);
    const details = new Map(
      (
        await executeBound<{
          unit_code: string;
          detail: { selfPoints: string | null; criteria: Record<string, CriterionDetail> };
        }>(
          em,
          'select unit_code, detail from published_result where publication_id = $1 and unit_code = any($2::text[])',
          [s.pub.id, codes],
        )
      ).map((r) => [r.unit_code, r.detail]),
    );
    const decisions = await executeBound<{
      unit_code: string;
      code: string;
      agency: string | null;
      day: string | null;
    }>(
      em,
      `with recursive ${effectiveAgency('(select criteria_set_id from campaign where id = $1)')}
       select u.code as unit_code, c.code, ag.name as agency,
              to_char(a.updated_at at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') as day
         from self_assessment sa join unit u on u.id = sa.unit_id
         join criterion_score cs on cs.self_assessment_id = sa.id join appraisal a on a.criterion_score_id = cs.id
         join criterion c on c.id = cs.criterion_id
         left join effective_agency ea on ea.criterion_id = c.id left join agency ag on ag.id = ea.agency_id
        where sa.campaign_id = $1 and u.code = any($2::text[])
          and a.appraised_score is not null and cs.self_score is not null and a.appraised_score <> cs.self_score`,
      [s.campaign.id, codes],
    );
    const decided = new Map(decisions.map((d) => [`${d.unit_code}\u0000${d.code}`, d]));
    const explanations = await executeBound<{
      unit_code: string;
      code: string;
      agency: string | null;
      message: string;
      requested_on: string;
      due_date: string;
      answer: string | null;
      answered_on: string | null;
    }>(
      em,
      `with recursive ${effectiveAgency('(select criteria_set_id from campaign where id = $1)')}
       select u.code as unit_code, c.code, ag.name as agency, er.message,
              to_char(er.requested_at at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') as requested_on,
              to_char(er.due_date, 'YYYY-MM-DD') as due_date, er.answer,
              to_char(er.answered_at at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') as answered_on
         from explanation_request er join appraisal a on a.id = er.appraisal_id
         join criterion_score cs on cs.id = a.criterion_score_id join self_assessment sa on sa.id = cs.self_assessment_id
         join unit u on u.id = sa.unit_id join criterion c on c.id = cs.criterion_id
         left join effective_agency ea on ea.criterion_id = c.id left join agency ag on ag.id = ea.agency_id
        where sa.campaign_id = $1 and u.code = any($2::text[])
        order by u.code, c.position, er.requested_at, er.id`,
      [s.campaign.id, codes],
    );
    const findings = await executeBound<{
      unit_code: string;
      visit_id: number;
      visited_on: string;
      members: string;
      agency: string | null;
      code: string | null;
      title: string | null;
      result: MinutesVisit['findings'][number]['result'] | null;
      note: string | null;
    }>(
      em,
      `select u.code as unit_code, v.id as visit_id, to_char(v.visited_on, 'YYYY-MM-DD') as visited_on, v.members,
              ag.name as agency, c.code, c.title, f.result, f.note
         from onsite_visit v join unit u on u.id = v.unit_id left join agency ag on ag.id = v.agency_id
         left join onsite_finding f on f.visit_id = v.id left join criterion c on c.id = f.criterion_id
        where v.campaign_id = $1 and u.code = any($2::text[])
        order by u.code, v.visited_on, v.id, c.position`,
      [s.campaign.id, codes],
    );
    for (const u of batch) {
      const detail = details.get(u.code);
      const criteria = detail?.criteria ?? {};
      // Leaves only: a parent's scores are the sums of its leaves', listed below it.
      const differences = leafCodes(Object.keys(criteria))
        .map((code) => [code, criteria[code]!] as const)
        .filter(([, c]) => c.applicable && c.self !== null && c.score !== null && dec(c.self) !== dec(c.score))
        .map(([code, c]): MinutesDifference => {
          const d = decided.get(`${u.code}\u0000${code}`);
          return {
            code,
            title: titles.get(code) ?? '',
            max: c.max,
            self: c.self!,
            score: c.score!,
            reason: (c.reason ?? '').trim(),
            agency: d?.agency ?? null,
            decidedOn: d?.day ?? null,
          };
        });
      const visits: MinutesVisit[] = [];
      let last: number | null = null;
      for (const f of findings.filter((x) => x.unit_code === u.code)) {
        if (f.visit_id !== last) {
          visits.push({ visitedOn: f.visited_on, members: f.members, agency: f.agency, findings: [] });
          last = f.visit_id;
        }
        if (f.code && f.result)
          visits.at(-1)!.findings.push({ code: f.code, title: f.title ?? '', result: f.result, note: f.note ?? '' });
      }
      yield {
        code: u.code,
        name: u.name,
        rank: u.rank,
        index: u.index,
        band: bandOf(u),
        submitted: u.status === undefined,
        selfPoints: detail?.selfPoints ?? null,
        points: u.points,
        applicableMax: u.applicableMax,
        differences,
        explanations: explanations
          .filter((e) => e.unit_code === u.code)
          .map((e) => ({
            code: e.code,
            title: titles.get(e.code) ?? '',
            agency: e.agency,
            message: e.message,
            requestedOn: e.requested_on,
            dueDate: e.due_date,
            answer: e.answer,
            answeredOn: e.answered_on,
          })),
        visits,
      };
    }
  }
}

const findingWords = { match: 'Khớp với hồ sơ', mismatch: 'Không khớp', 'not-shown': 'Không xuất trình' } as const;

/** A score as published (up to three decimals), with a decimal comma. */
const scoreVi = (value: string) => formatVi(dec(value));

/** The day the minutes carry: the day appraisal closed, else the day of publication. */
const minutesDate = (s: DocumentSource) => s.appraisalClosed ?? new Date(s.pub.publishedAt);

export async function buildMinutesDocx(s: DocumentSource, m: UnitMinutes): Promise<Buffer> {
  const width = PORTRAIT_TEXT_WIDTH;
  const places = s.campaign.precision as Places;
  const diffColumns = columnsFilling(width, [550, 1800, 700, 800, 800, 1750, 1300]);
  const diffRows = m.differences.map(
    (d, i) =>
      new TableRow({
        cantSplit: true,
        children: [
          cell([{ text: String(i + 1), align: 'center' }], diffColumns[0]!),
          cell([{ text: `${d.code}. ${d.title}` }], diffColumns[1]!),
          cell([{ text: scoreVi(d.max), align: 'center' }], diffColumns[2]!),
          cell([{ text: scoreVi(d.self), align: 'center' }], diffColumns[3]!),
          cell([{ text: scoreVi(d.score), align: 'center', bold: true }], diffColumns[4]!),
          cell([{ text: d.reason || '—' }], diffColumns[5]!),
          cell([{ text: d.agency ?? '—' }], diffColumns[6]!),
          cell([{ text: d.decidedOn ? formatDate(d.decidedOn) : '—', align: 'center' }], diffColumns[7]!),
        ],
      }),
  );
  const lost = sum(m.differences.map((d) => sub(dec(d.self), dec(d.score))));
  const expColumns = columnsFilling(width, [550, 2150, 3200]);
  const expRows = m.explanations.map(
    (e, i) =>
      new TableRow({
        cantSplit: true,
        children: [
          cell([{ text: String(i + 1), align: 'center' }], expColumns[0]!),
          cell([{ text: `${e.code}. ${e.title}` }], expColumns[1]!),
          cell(
            [
              { text: e.message },
              {
                text: `(${e.agency ?? 'Cơ quan thẩm định'}, ngày ${formatDate(e.requestedOn)}; hạn trả lời ${formatDate(e.dueDate)})`,
                italics: true,
              },
            ],
            expColumns[2]!,
          ),
          cell(
            e.answer
              ? [{ text: e.answer }, { text: `(ngày ${formatDate(e.answeredOn)})`, italics: true }]
              : [{ text: 'Đơn vị không trả lời.', italics: true }],
            expColumns[3]!,
          ),
        ],
      }),
  );
  const visitParts = m.visits.flatMap((v, i) => {
    const fColumns = columnsFilling(width, [550, 3500, 1800]);
    return [
      para(
        {
          text: `${i + 1}. Ngày ${formatDate(v.visitedOn)}${v.agency ? `, ${v.agency}` : ''}; thành phần: ${v.members}.`,
          align: 'both',
        },
        { keepNext: true, spacing: { before: 120, after: 60 } },
      ),
      ...(v.findings.length
        ? [
            dataTable(
              width,
              fColumns,
              ['TT', 'Tiêu chí', 'Kết quả kiểm tra', 'Ghi chú'],
              v.findings.map(
                (f, j) =>
                  new TableRow({
                    cantSplit: true,
                    children: [
                      cell([{ text: String(j + 1), align: 'center' }], fColumns[0]!),
                      cell([{ text: `${f.code}. ${f.title}` }], fColumns[1]!),
                      cell([{ text: findingWords[f.result], bold: f.result !== 'match' }], fColumns[2]!),
                      cell([{ text: f.note || '—' }], fColumns[3]!),
                    ],
                  }),
              ),
            ),
          ]
        : [para({ text: 'Không ghi nhận tiêu chí nào.', italics: true })]),
    ];
  });
  const result = m.submitted
    ? `Kết quả sau thẩm định: tổng điểm thẩm định ${m.points === null ? '—' : formatVi(dec(m.points))}/${m.applicableMax === null ? '—' : formatVi(dec(m.applicableMax))} điểm${m.selfPoints === null ? '' : ` (tự chấm ${scoreVi(m.selfPoints)} điểm)`}; Chỉ số CCHC ${numberVi(m.index, s)}, xếp hạng ${m.rank ?? '—'}, xếp loại ${m.band}.`
    : `Đơn vị ${notSubmittedWords.toLocaleLowerCase('vi')}; không có kết quả thẩm định.`;
  const title = `Biên bản thẩm định Chỉ số CCHC năm ${s.campaign.year} - ${m.name}`;
  const heading = (text: string) =>
    para({ text, bold: true }, { keepNext: true, spacing: { before: 240, after: 120 } });
  return councilDocx(s, title, [
    letterhead({
      parent: s.campaign.organizer,
      body: 'Hội đồng thẩm định',
      number: 'Số:        /BB-HĐTĐ',
      place: placeOf(s.campaign.organizer),
      date: minutesDate(s),
      width,
    }),
    para({ text: 'BIÊN BẢN', bold: true, align: 'center', size: 28 }, { spacing: { before: 360 } }),
    para({
      text: `Thẩm định kết quả tự đánh giá, chấm điểm Chỉ số CCHC năm ${s.campaign.year}`,
      bold: true,
      align: 'center',
    }),
    para({ text: `Đơn vị được thẩm định: ${m.name}`, bold: true, align: 'center' }, { spacing: { after: 240 } }),
    para({ text: `Căn cứ ${s.campaign.decision || s.campaign.name};`, align: 'both' }),
    para({
      text: `Căn cứ kết quả thẩm định của các cơ quan chuyên môn và kết quả công bố (${s.campaign.name}, phiên bản ${s.pub.version}),`,
      align: 'both',
    }),
    para({ text: `Hội đồng thẩm định lập biên bản thẩm định đối với ${m.name} như sau:`, align: 'both' }),
    para({ text: result, align: 'both' }, { spacing: { before: 120 } }),
    heading(`I. CÁC TIÊU CHÍ CÓ ĐIỂM THẨM ĐỊNH KHÁC ĐIỂM TỰ CHẤM (${m.differences.length})`),
    ...(diffRows.length
      ? [
          dataTable(
            width,
            diffColumns,
            ['TT', 'Tiêu chí', 'Tối đa', 'Tự chấm', 'Thẩm định', 'Lý do điều chỉnh', 'Cơ quan thẩm định', 'Ngày'],
            diffRows,
          ),
          para(
            { text: `Tổng chênh lệch (tự chấm trừ thẩm định): ${formatVi(lost, places)} điểm.`, italics: true },
            { spacing: { before: 60 } },
          ),
        ]
      : [para({ text: 'Không có tiêu chí nào có điểm thẩm định khác điểm tự chấm.' })]),
    heading(`II. GIẢI TRÌNH BỔ SUNG (${m.explanations.length})`),
    ...(expRows.length
      ? [
          dataTable(
            width,
            expColumns,
            ['TT', 'Tiêu chí', 'Nội dung yêu cầu giải trình', 'Giải trình của đơn vị'],
            expRows,
          ),
        ]
      : [para({ text: 'Không có yêu cầu giải trình bổ sung.' })]),
    heading(`III. KIỂM TRA THỰC TẾ (${m.visits.length})`),
    ...(visitParts.length ? visitParts : [para({ text: 'Đơn vị không được kiểm tra thực tế.' })]),
    para(
      {
        text: 'Biên bản được lập thành 02 bản, đơn vị được thẩm định giữ 01 bản, Tổ thư ký giữ 01 bản để tổng hợp.',
        align: 'both',
      },
      { spacing: { before: 240 }, keepNext: true, keepLines: true },
    ),
    keepWithSignature(),
    signatureBlock({
      recipients: [`${m.name};`, 'Tổ thư ký Hội đồng thẩm định;', 'Lưu: VT.'],
      second: { title: ['ĐẠI DIỆN ĐƠN VỊ'], note: '(Ký, ghi rõ họ tên)' },
      signer: { title: ['TM. HỘI ĐỒNG THẨM ĐỊNH', 'CHỦ TỊCH'], note: '(Ký, ghi rõ họ tên)' },
      width,
    }),
  ]);
}
