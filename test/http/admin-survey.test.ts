import { beforeAll, describe, expect, it } from 'vitest';
import { format } from '../../src/domain/decimal.ts';
import { currentResults } from '../../src/features/results.ts';
import { csrfToken, uploadAction } from '../helpers/app.ts';
import { expectAdminOnly, fieldError, lastAuditId, withAdminApp } from '../helpers/admin.ts';
import { buildWorkbook, cellValues, tableCounts, type Sheets } from '../helpers/workbook.ts';
import { paths } from '../../src/http/paths.ts';

const ctx = withAdminApp();
const sql = <T = Record<string, any>>(text: string, params: unknown[] = []) =>
  ctx.t.orm.em.getConnection().execute<T[]>(text, params);

let code: string;
let campaignId: number;
let surveyUrl: string;
beforeAll(async () => {
  [{ code, id: campaignId }] = await sql<{ code: string; id: number }>(
    'select code, id from campaign order by id limit 1',
  );
  surveyUrl = paths.admin.survey(code);
});

/** Every input of the survey form as the page fills it: what a browser sends back. */
function formInputs(html: string): Record<string, string> {
  return Object.fromEntries(
    [...html.matchAll(/<input id="([^"]+)" name="\1" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
  );
}

/** Submits the whole form as the page shows it, with some fields changed: unit code → figures. */
async function saveForm(changes: Record<string, [respondents: string, satisfied: string, questions?: string]>) {
  const page = await ctx.admin.get(surveyUrl);
  const form: Record<string, string> = { _csrf: csrfToken(page.body), ...formInputs(page.body) };
  for (const [unit, [respondents, satisfied, questions]] of Object.entries(changes)) {
    Object.assign(form, { [`respondents-${unit}`]: respondents, [`satisfiedAnswers-${unit}`]: satisfied });
    if (questions !== undefined) form[`questionsPerRespondent-${unit}`] = questions;
  }
  return ctx.admin.request('POST', surveyUrl, { form });
}

/** The component shown beside a unit's inputs. */
function shownComponent(html: string, unit: string): string | undefined {
  return new RegExp(`<output for="respondents-${unit} [^"]*">([^<]*)</output>`).exec(html)?.[1];
}

const storedSurvey = () =>
  sql<{ unit: string; respondents: number; satisfied_answers: number; questions_per_respondent: number }>(
    `select u.code as unit, s.respondents, s.satisfied_answers, s.questions_per_respondent
     from survey_result s join unit u on u.id = s.unit_id where s.campaign_id = ? order by u.code`,
    [campaignId],
  );

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Posts a file through the page's upload form, whose action carries the CSRF token. */
async function upload(file: Buffer | null, action?: string) {
  const page = await ctx.admin.get(surveyUrl);
  const url = action ?? uploadAction(page.body, /action="([^"]+\/survey\/import)"/);
  const body = new FormData();
  if (file) body.append('file', new Blob([new Uint8Array(file)], { type: xlsxType }), 'khao-sat.xlsx');
  return ctx.t.app.inject({ method: 'POST', url, payload: body, headers: { cookie: ctx.admin.cookieHeader } });
}

const surveySheet = (...rows: unknown[][]): Sheets => ({
  survey: [
    ['unit_code', 'unit_name', 'respondents', 'satisfied_answers', 'questions_per_respondent'],
    ...rows,
  ] as Sheets[string],
});

describe('the survey form', () => {
  it('has a row per assessed unit, 8 questions by default, and is linked from the campaign', async () => {
    const campaign = await ctx.admin.get(paths.admin.campaign(code));
    expect(campaign.body).toContain(`<a href="/admin/campaigns/${code}/survey">Kết quả điều tra xã hội học</a>`);
    const page = await ctx.admin.get(surveyUrl);
    expect(page.statusCode).toBe(200);
    const [{ n }] = await sql('select count(*)::int as n from campaign_unit where campaign_id = ?', [campaignId]);
    const inputs = formInputs(page.body);
    expect(Object.keys(inputs)).toHaveLength(3 * n);
    expect(inputs['questionsPerRespondent-xa-truc-thanh']).toBe('8');
    expect(inputs['respondents-xa-truc-thanh']).toBe('');
    expect(shownComponent(page.body, 'xa-truc-thanh')).toBe('—');
    expect(page.body).toContain('× 30, làm tròn 2 chữ số thập phân (làm tròn)');
  });

  it("saves every row and shows the component as seed 001's formula gives it, rounded half up", async () => {
    const since = await lastAuditId(ctx.t);
    const res = await saveForm({
      'xa-truc-thanh': ['120', '850'], //      850 ÷ (120 × 8) × 30 = 26.5625 → 26.56
      'xa-truc-dao': ['16', '8'], //             8 ÷ (16 × 8) × 30 = 1.875   → 1.88
      'xa-truc-tuan': ['40', '399', '10'], //  399 ÷ (40 × 10) × 30 = 29.925  → 29.93
      'xa-truc-chinh': [' 50 ', '400'], //     400 ÷ (50 × 8) × 30 = 30
      'xa-phuong-dinh': ['0', '0'], //         no respondent: 0
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${surveyUrl}?saved=1`);
    expect(await storedSurvey()).toEqual([
      { unit: 'xa-phuong-dinh', respondents: 0, satisfied_answers: 0, questions_per_respondent: 8 },
      { unit: 'xa-truc-chinh', respondents: 50, satisfied_answers: 400, questions_per_respondent: 8 },
      { unit: 'xa-truc-dao', respondents: 16, satisfied_answers: 8, questions_per_respondent: 8 },
      { unit: 'xa-truc-thanh', respondents: 120, satisfied_answers: 850, questions_per_respondent: 8 },
      { unit: 'xa-truc-tuan', respondents: 40, satisfied_answers: 399, questions_per_respondent: 10 },
    ]);
    const page = await ctx.admin.get(`${surveyUrl}?saved=1`);
    expect(page.body).toContain('Đã lưu kết quả khảo sát.');
    expect(shownComponent(page.body, 'xa-truc-thanh')).toBe('26,56');
    expect(shownComponent(page.body, 'xa-truc-dao')).toBe('1,88');
    expect(shownComponent(page.body, 'xa-truc-tuan')).toBe('29,93');
    expect(shownComponent(page.body, 'xa-truc-chinh')).toBe('30');
    expect(shownComponent(page.body, 'xa-phuong-dinh')).toBe('0');
    expect(shownComponent(page.body, 'xa-truc-my')).toBe('—');
    expect(formInputs(page.body)['questionsPerRespondent-xa-truc-tuan']).toBe('10');

    const events = await sql(`select action, before, after from audit_event where id > ? order by id`, [since]);
    expect(events).toHaveLength(1);
    expect(events[0]!.action).toBe('survey.saved');
    expect(events[0]!.before['xa-truc-thanh']).toBeNull();
    expect(events[0]!.after['xa-truc-thanh']).toEqual({
      respondents: 120,
      satisfiedAnswers: 850,
      questionsPerRespondent: 8,
    });
    expect(Object.keys(events[0]!.after).sort()).toEqual([
      'xa-phuong-dinh',
      'xa-truc-chinh',
      'xa-truc-dao',
      'xa-truc-thanh',
      'xa-truc-tuan',
    ]);
  });

  it('is picked up by the results loader: currentResults gives the same survey component', async () => {
    const page = (await ctx.admin.get(surveyUrl)).body;
    const { results } = await currentResults(ctx.t.orm.em.fork(), campaignId);
    const survey = Object.fromEntries(results.map((r) => [r.code, format(r.components.survey!)]));
    expect(survey['xa-truc-thanh']).toBe('26.56');
    expect(survey['xa-truc-dao']).toBe('1.88');
    expect(survey['xa-truc-tuan']).toBe('29.93');
    expect(survey['xa-truc-chinh']).toBe('30');
    expect(survey['xa-truc-my']).toBe('0');
    for (const unit of ['xa-truc-thanh', 'xa-truc-dao', 'xa-truc-tuan', 'xa-truc-chinh', 'xa-phuong-dinh']) {
      expect(shownComponent(page, unit)).toBe(survey[unit]!.replace('.', ','));
    }
  });

  it('rounds as the campaign says: truncation when its rounding is down', async () => {
    await sql(`update campaign set rounding = 'down' where id = ?`, [campaignId]);
    try {
      const page = (await ctx.admin.get(surveyUrl)).body;
      expect(shownComponent(page, 'xa-truc-dao')).toBe('1,87');
      expect(shownComponent(page, 'xa-truc-tuan')).toBe('29,92');
      expect(shownComponent(page, 'xa-truc-thanh')).toBe('26,56');
      const { results } = await currentResults(ctx.t.orm.em.fork(), campaignId);
      expect(format(results.find((r) => r.code === 'xa-truc-dao')!.components.survey!)).toBe('1.87');
    } finally {
      await sql(`update campaign set rounding = 'half-up' where id = ?`, [campaignId]);
    }
  });

  it('refuses wrong numbers beside each field, keeps the input and writes nothing at all', async () => {
    const before = { survey: await storedSurvey(), audit: await lastAuditId(ctx.t) };
    const res = await saveForm({
      'xa-truc-thanh': ['abc', '850'],
      'xa-truc-dao': ['16', '1,5'],
      'xa-truc-tuan': ['40', '100', '0'],
      'xa-truc-chinh': ['50', '401'], //     more than 50 × 8 answers
      'xa-truc-my': ['30', ''], //            a count missing
      'xa-trung-dong': ['-3', '1.000'],
      'xa-liem-hai': ['25', '190'], //        valid, but the form is all or nothing
    });
    expect(res.statusCode).toBe(422);
    const integer = 'Nhập một số nguyên không âm, viết liền, không có dấu chấm hay dấu phẩy (ví dụ 120).';
    // Each message names the unit, its row in the table and the column, so the summary at the top reads alone.
    const rowOf = (code: string) => Object.keys(formInputs(res.body)).indexOf(`respondents-${code}`) / 3 + 1;
    const said = (code: string, unit: string, column: string, message: string) =>
      `${unit} (dòng ${rowOf(code)}), ${column}: ${message}`;
    const [respondents, satisfied, questions] = ['Số phiếu', 'Số câu hài lòng và rất hài lòng', 'Số câu hỏi mỗi phiếu'];
    expect(fieldError(res.body, 'respondents-xa-truc-thanh')).toBe(
      said('xa-truc-thanh', 'Xã Trực Thanh', respondents, integer),
    );
    expect(fieldError(res.body, 'satisfiedAnswers-xa-truc-dao')).toBe(
      said('xa-truc-dao', 'Xã Trực Đạo', satisfied, integer),
    );
    expect(fieldError(res.body, 'questionsPerRespondent-xa-truc-tuan')).toBe(
      said('xa-truc-tuan', 'Xã Trực Tuấn', questions, 'Số câu hỏi mỗi phiếu phải từ 1 trở lên.'),
    );
    expect(fieldError(res.body, 'satisfiedAnswers-xa-truc-chinh')).toBe(
      said(
        'xa-truc-chinh',
        'Xã Trực Chính',
        satisfied,
        'Số câu hài lòng không được lớn hơn số phiếu × số câu hỏi mỗi phiếu.',
      ),
    );
    expect(fieldError(res.body, 'satisfiedAnswers-xa-truc-my')).toBe(
      said('xa-truc-my', 'Xã Trực Mỹ', satisfied, 'Nhập số câu trả lời hài lòng và rất hài lòng.'),
    );
    expect(fieldError(res.body, 'respondents-xa-trung-dong')).toBe(
      said('xa-trung-dong', 'Xã Trung Đông', respondents, integer),
    );
    expect(fieldError(res.body, 'satisfiedAnswers-xa-trung-dong')).toBe(
      said('xa-trung-dong', 'Xã Trung Đông', satisfied, integer),
    );
    expect(rowOf('xa-truc-thanh')).toBeGreaterThan(0);
    // The messages take a full-width row under their unit, not the narrow number cells.
    expect(res.body).toMatch(
      /<tr class="row-errors"><td colspan="5"><p class="error-message" id="respondents-xa-trung-dong-error">/,
    );
    expect(fieldError(res.body, 'respondents-xa-liem-hai')).toBeUndefined();
    expect(res.body).toContain('<a href="#respondents-xa-truc-thanh">');
    expect(res.body).toContain(
      'id="respondents-xa-truc-thanh" name="respondents-xa-truc-thanh" value="abc" inputmode="numeric" size="6" autocomplete="off" aria-invalid="true"',
    );
    const kept = formInputs(res.body);
    expect(kept['satisfiedAnswers-xa-truc-dao']).toBe('1,5');
    expect(kept['satisfiedAnswers-xa-liem-hai']).toBe('190');
    expect(shownComponent(res.body, 'xa-liem-hai')).toBe('28,5'); // 190 ÷ 200 × 30, from the typed figures
    expect(await storedSurvey()).toEqual(before.survey);
    expect(await lastAuditId(ctx.t)).toBe(before.audit);
  });

  it("removes a unit's result when both counts are emptied", async () => {
    const res = await saveForm({ 'xa-phuong-dinh': ['', ''] });
    expect(res.statusCode).toBe(303);
    expect((await storedSurvey()).map((row) => row.unit)).not.toContain('xa-phuong-dinh');
    const [event] = await sql(
      `select before, after from audit_event where action = 'survey.saved' order by id desc limit 1`,
    );
    expect(event).toEqual({
      before: { 'xa-phuong-dinh': { respondents: 0, satisfiedAnswers: 0, questionsPerRespondent: 8 } },
      after: { 'xa-phuong-dinh': null },
    });
  });
});

describe('the survey import', () => {
  it("offers a template with the campaign's unit codes and names and what is stored", async () => {
    const res = await ctx.admin.get(`${surveyUrl}/template.xlsx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(xlsxType);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const sheet = (await cellValues(res.rawPayload)).survey!;
    expect(sheet[0]).toEqual([
      'unit_code',
      'unit_name',
      'respondents',
      'satisfied_answers',
      'questions_per_respondent',
    ]);
    const [{ n }] = await sql('select count(*)::int as n from campaign_unit where campaign_id = ?', [campaignId]);
    expect(sheet).toHaveLength(n + 1);
    expect(sheet).toContainEqual(['xa-truc-thanh', 'Xã Trực Thanh', 120, 850, 8]);
    expect(sheet).toContainEqual(['xa-truc-my', 'Xã Trực Mỹ']); // no figures yet: the row ends with the name
    // Sent back unchanged, it imports and changes nothing.
    const since = await lastAuditId(ctx.t);
    const back = await upload(Buffer.from(res.rawPayload));
    expect(back.statusCode).toBe(303);
    expect(await lastAuditId(ctx.t)).toBe(since);
  });

  it('imports a sheet as people type it: text numbers, empty rows skipped, empty questions meaning 8', async () => {
    const file = await buildWorkbook(
      surveySheet(
        ['xa-truc-my', 'Xã Trực Mỹ', 200, 1500, null],
        [],
        ['xa-truc-thai', null, ' 60 ', '450', '8'],
        ['xa-truc-thang', 'Xã Trực Thắng', null, null, 8], //  no figures: skipped
        ['xa-truc-thanh', 'Xã Trực Thanh', 100, 700, 8], //     replaces 120 / 850
      ),
    );
    const since = await lastAuditId(ctx.t);
    const res = await upload(file);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${surveyUrl}?imported=3`);
    const stored = Object.fromEntries(
      (await storedSurvey()).map((row) => [
        row.unit,
        [row.respondents, row.satisfied_answers, row.questions_per_respondent],
      ]),
    );
    expect(stored['xa-truc-my']).toEqual([200, 1500, 8]);
    expect(stored['xa-truc-thai']).toEqual([60, 450, 8]);
    expect(stored['xa-truc-thanh']).toEqual([100, 700, 8]);
    expect(stored['xa-truc-thang']).toBeUndefined();
    const page = (await ctx.admin.get(res.headers.location as string)).body;
    expect(page).toContain('Đã nhập kết quả khảo sát của 3 đơn vị.');
    expect(shownComponent(page, 'xa-truc-my')).toBe('28,13'); //    1500 ÷ 1600 × 30 = 28.125
    expect(shownComponent(page, 'xa-truc-thanh')).toBe('26,25'); // 700 ÷ 800 × 30
    const [event] = await sql(`select action, before, after from audit_event where id > ?`, [since]);
    expect(event!.action).toBe('survey.imported');
    expect(event!.before['xa-truc-thanh']).toEqual({
      respondents: 120,
      satisfiedAnswers: 850,
      questionsPerRespondent: 8,
    });
    expect(event!.after['xa-truc-thanh']).toEqual({
      respondents: 100,
      satisfiedAnswers: 700,
      questionsPerRespondent: 8,
    });
  });

  it('refuses a bad sheet with every error by sheet, row and column, and changes nothing', async () => {
    const file = await buildWorkbook(
      surveySheet(
        ['xa-truc-hung', null, 80, 600, 8], //                    valid, yet not imported
        ['xa-truc-cuong', null, '1,5', 10, null],
        ['xa-khong-co', null, 10, 10, null],
        ['xa-truc-dai', null, 10, 81, null],
        ['xa-truc-hung', null, 5, 5, null],
        ['xa-truc-khang', null, 2.5, 10, 0],
        [null, null, 10, 10, null],
      ),
    );
    const before = { counts: await tableCounts(ctx.t.orm), survey: await storedSurvey() };
    const res = await upload(file);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Tệp có 7 lỗi nên chưa có gì được nhập.');
    const row = (n: number, column: string, message: string) =>
      `<tr><td data-label="Trang tính">survey</td><td class="num" data-label="Dòng">${n}</td><td data-label="Cột">${column}</td><td data-label="Nội dung">${message}</td></tr>`;
    const integer = 'Nhập một số nguyên không âm, viết liền, không có dấu chấm hay dấu phẩy (ví dụ 120).';
    expect(res.body).toContain(row(3, 'respondents', `«1,5»: ${integer}`));
    expect(res.body).toContain(row(4, 'unit_code', 'đơn vị xa-khong-co không được đánh giá trong kỳ này'));
    expect(res.body).toContain(
      row(5, 'satisfied_answers', 'Số câu hài lòng không được lớn hơn số phiếu × số câu hỏi mỗi phiếu.'),
    );
    expect(res.body).toContain(row(6, 'unit_code', 'đơn vị xa-truc-hung đã có ở dòng 2'));
    expect(res.body).toContain(row(7, 'respondents', `«2.5»: ${integer}`));
    expect(res.body).toContain(row(7, 'questions_per_respondent', 'Số câu hỏi mỗi phiếu phải từ 1 trở lên.'));
    expect(res.body).toContain(row(8, 'unit_code', 'thiếu mã đơn vị'));
    expect(await tableCounts(ctx.t.orm)).toEqual(before.counts);
    expect(await storedSurvey()).toEqual(before.survey);
  });

  it('refuses a file without a survey sheet or its columns, no file, and a missing CSRF token', async () => {
    const before = await tableCounts(ctx.t.orm);
    const noSheet = await upload(await buildWorkbook({ units: [['code'], ['xa-truc-thanh']] }));
    expect(noSheet.statusCode).toBe(422);
    expect(noSheet.body).toContain('<td data-label="Nội dung">thiếu trang tính survey</td>');
    const noColumn = await upload(
      await buildWorkbook({
        survey: [
          ['unit_code', 'respondents'],
          ['xa-truc-thanh', 10],
        ],
      }),
    );
    expect(noColumn.statusCode).toBe(422);
    expect(noColumn.body).toContain(
      '<tr><td data-label="Trang tính">survey</td><td class="num" data-label="Dòng">1</td><td data-label="Cột">satisfied_answers</td><td data-label="Nội dung">thiếu cột satisfied_answers</td></tr>',
    );
    const garbage = await upload(Buffer.from('không phải tệp Excel'));
    expect(garbage.body).toContain('không đọc được tệp: cần một bảng tính Excel .xlsx');
    const none = await upload(null);
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain('<a href="#file">Chọn một tệp .xlsx để nhập.</a>');
    const forged = await upload(
      await buildWorkbook(surveySheet(['xa-truc-thanh', null, 1, 1, 1])),
      `${surveyUrl}/import?_csrf=forged`,
    );
    expect(forged.statusCode).toBe(403);
    expect(await tableCounts(ctx.t.orm)).toEqual(before);
  });
});

describe('a survey that may not change', () => {
  it('is refused while the campaign is approved or published, by the form and by the import', async () => {
    const before = { survey: await storedSurvey(), audit: await lastAuditId(ctx.t) };
    const page = await ctx.admin.get(surveyUrl);
    const token = csrfToken(page.body);
    const action = uploadAction(page.body, /action="([^"]+\/survey\/import)"/);
    for (const state of ['approved', 'published']) {
      await sql(`update campaign set state = ? where id = ?`, [state, campaignId]);
      try {
        const shown = await ctx.admin.get(surveyUrl);
        expect(shown.body).toContain('Kỳ đánh giá đã được phê duyệt hoặc công bố: không thể sửa kết quả khảo sát.');
        expect(shown.body).toContain('<fieldset disabled>');
        expect(shown.body).not.toContain('/survey/import');
        const res = await ctx.admin.request('POST', surveyUrl, {
          form: {
            _csrf: token,
            ...formInputs(page.body),
            'respondents-xa-truc-my': '1',
            'satisfiedAnswers-xa-truc-my': '1',
          },
        });
        expect(res.statusCode).toBe(422);
        expect(res.body).toContain('không thể sửa kết quả khảo sát');
        const imported = await upload(await buildWorkbook(surveySheet(['xa-truc-my', null, 1, 1, 1])), action);
        expect(imported.statusCode).toBe(422);
        expect(imported.body).toContain(
          '<td data-label="Nội dung">Kỳ đánh giá đã được phê duyệt hoặc công bố: không thể sửa kết quả khảo sát.</td>',
        );
      } finally {
        await sql(`update campaign set state = 'self-assessment' where id = ?`, [campaignId]);
      }
    }
    expect(await storedSurvey()).toEqual(before.survey);
    expect(await lastAuditId(ctx.t)).toBe(before.audit);
  });

  it('does not exist in a campaign whose composition has no survey component', async () => {
    const [{ id: setId }] = await sql<{ id: number }>('select id from criteria_set order by id limit 1');
    const created = await ctx.admin.submit('/admin/campaigns/new', '/admin/campaigns', {
      code: 'khong-khao-sat',
      name: 'Chỉ số CCHC không khảo sát',
      year: '2025',
      organizer: 'UBND huyện Trực Ninh',
      decision: '',
      criteriaSetId: String(setId),
      compositionPreset: 'appraisal:100',
      compositionCustom: '',
      bands: 'Tốt:85;Khá:75;Yếu:0',
      fieldFloorPercent: '',
      precision: '2',
      rounding: 'half-up',
      explanationDays: '3',
    });
    expect(created.statusCode).toBe(303);
    const page = await ctx.admin.get('/admin/campaigns/khong-khao-sat/survey');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Kỳ đánh giá này không có thành phần điều tra xã hội học');
    expect(page.body).not.toContain('<input id="respondents-');
    const res = await ctx.admin.submit(
      '/admin/campaigns/khong-khao-sat/survey',
      '/admin/campaigns/khong-khao-sat/survey',
      {},
    );
    expect(res.statusCode).toBe(422);
    expect((await ctx.admin.get('/admin/campaigns/khong-khao-sat/survey/template.xlsx')).statusCode).toBe(404);
    expect((await ctx.admin.get('/admin/campaigns/khong-co/survey')).statusCode).toBe(404);
  });

  it('answers 404 to everyone but the secretariat, and writes nothing', async () => {
    await expectAdminOnly(ctx.t, [surveyUrl, `${surveyUrl}/template.xlsx`], [surveyUrl, `${surveyUrl}/import`]);
  });
});
