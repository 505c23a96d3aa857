import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayInVietnam } from '../../src/domain/dates.ts';
import { seedPublishedPastYear } from '../../src/features/demo/past-year.ts';
import { paths } from '../../src/http/paths.ts';
import { Browser, csrfToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { pdfBytes } from '../helpers/evidence.ts';
import { appUrlFor } from '../helpers/roles.ts';

// A practice campaign (Tập huấn) walked through by the real roles: the secretariat copies the demo campaign, the
// unit's officer and head self-assess and submit, the agency's appraiser appraises, the secretariat publishes a
// preview, resets it, then discards it. At every step nothing of it reaches a public address or open data; evidence
// shared with the real campaign survives the discard; the real campaigns' audit log and publications stay append-only.

let t: TestApp;
let code: string;
let practice: string;
let practiceId: number;
let pastYear: string;
let admin: Browser;
const today = todayInVietnam();
const unit = 'xa-truc-thanh';
const band = 'Tập huấn — dữ liệu không có giá trị';

const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  t.orm.em.fork().execute<T[]>(text, params);
const one = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  (await sql<T>(text, params))[0]!;
const count = async (text: string, params: unknown[] = []) => (await one<{ n: number }>(text, params)).n;
const signedIn = (username: string) => Browser.signedIn(t.app, username);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** What a public visitor can reach: the home page, the year's index, the campaign's pages and its open data. */
async function expectNothingPublic(label: string) {
  const visitor = new Browser(t.app);
  const year = today.slice(0, 4);
  for (const url of [paths.root(), paths.published.year(Number(year)), paths.published.year(Number(year) - 1)]) {
    const res = await visitor.get(url);
    expect(res.statusCode, `${label}: ${url}`).toBeLessThan(500);
    expect(res.body, `${label}: ${url}`).not.toContain(practice);
    expect(res.body, `${label}: ${url}`).not.toContain('Tập huấn');
  }
  for (const url of [
    paths.published.campaign(practice),
    paths.published.methodology(practice),
    paths.published.unit(practice, unit),
    paths.published.openData(practice, 'json'),
    paths.published.openData(practice, 'csv'),
    paths.published.openData(practice, 'xlsx'),
    paths.published.openData(practice, 'json', 1),
  ])
    expect((await visitor.get(url)).statusCode, `${label}: ${url}`).toBe(404);
  // The open data of last year's real campaign holds its own units, nothing of the practice.
  const open = await visitor.get(paths.published.openData(pastYear, 'json'));
  expect(open.statusCode).toBe(200);
  expect(open.body).not.toContain('Tập huấn');
}

type Part = { name: string; value: string } | { name: string; filename: string; content: Buffer };

/** Uploads `content` as evidence of a criterion of the unit, in `campaign`, as a browser without JavaScript would. */
async function upload(b: Browser, campaign: string, criterion: string, filename: string, content: Buffer) {
  const token = csrfToken((await b.get('/unit')).body);
  const boundary = `----cchc${sha(content).slice(0, 12)}`;
  const parts: Part[] = [
    { name: 'documentNumber', value: '12/KH-UBND' },
    { name: 'documentDate', value: '03/02/2024' },
    { name: 'issuer', value: 'UBND xã Trực Thanh' },
    { name: 'file', filename, content },
  ];
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const head =
      'filename' in p
        ? `Content-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: application/pdf\r\n`
        : `Content-Disposition: form-data; name="${p.name}"\r\n`;
    chunks.push(Buffer.from(`--${boundary}\r\n${head}\r\n`), 'filename' in p ? p.content : Buffer.from(p.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  const res = await t.app.inject({
    method: 'POST',
    url: paths.unit.criterionEvidence(unit, campaign, criterion, { _csrf: token }),
    headers: { cookie: b.cookieHeader, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat(chunks),
  });
  expect(res.statusCode, res.body.slice(0, 500)).toBe(303);
  return (await one<{ id: number }>('select max(id) as id from evidence_file')).id;
}

let shared: Buffer;
let onlyHere: Buffer;
let realFile: number;
let leaf: string;

beforeAll(async () => {
  t = await startTestApp({ today });
  ({ code } = await one<{ code: string }>('select code from campaign order by id limit 1'));
  pastYear = await seedPublishedPastYear(t.orm, Number(today.slice(0, 4)) - 1);
  admin = await signedIn('admin');
  ({ code: leaf } = await one<{ code: string }>(
    `select c.code from criterion c join campaign k on k.criteria_set_id = c.criteria_set_id
      where k.code = ? and c.kind = 'self' and c.scoring is null and not exists (select 1 from criterion d where d.parent_id = c.id)
      order by c.position, c.id limit 1`,
    [code],
  ));
  shared = await pdfBytes({ text: 'Ke hoach CCHC dung chung' });
  onlyHere = await pdfBytes({ text: 'Chi dung cho tap huan' });
  // The real campaign's evidence, which the practice will share by content.
  realFile = await upload(await signedIn('canbo'), code, leaf, 'ke-hoach-that.pdf', shared);
});
afterAll(async () => {
  await t.close();
});

describe('a practice campaign, from copy to discard, by the real roles', () => {
  it('the secretariat copies the campaign in a step: same units and criteria set, its own dates, "Tập huấn" in its name', async () => {
    const campaignsTile = async () =>
      Number(
        /href="\/admin\/campaigns">[^<]+<\/a><\/dt><dd>(\d+)<\/dd>/.exec(
          (await admin.get(paths.admin.index())).body,
        )?.[1],
      );
    const realCampaigns = await campaignsTile();
    expect(realCampaigns).toBe(2);
    const form = await admin.get(paths.practice.make(code));
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Điền sẵn tự đánh giá mẫu từ điểm đã công bố năm trước');
    const res = await admin.submit(paths.practice.make(code), paths.practice.make(code), {});
    expect(res.statusCode).toBe(303);
    practice = `tap-huan-${code}`;
    expect(res.headers.location).toBe(paths.admin.campaign(practice, { saved: 'practice-0' }));
    const [real, copy] = await sql<Record<string, unknown>>(
      `select id, name, practice, state, criteria_set_id, to_char(self_assessment_opens, 'YYYY-MM-DD') as opens,
              (select count(*)::int from campaign_unit cu where cu.campaign_id = c.id) as units,
              (select count(*)::int from self_assessment sa where sa.campaign_id = c.id) as forms
         from campaign c where code in (?, ?) order by id`,
      [code, practice],
    );
    practiceId = copy.id as number;
    expect(copy).toMatchObject({
      name: `Tập huấn — ${real.name}`,
      practice: true,
      state: 'self-assessment',
      criteria_set_id: real.criteria_set_id,
      opens: today,
      units: real.units,
      forms: real.units,
    });
    const page = await admin.get(res.headers.location as string);
    expect(page.body).toContain(band);
    expect(page.body).toContain('Đã tạo đợt tập huấn');
    expect((await admin.get(paths.admin.campaign(code))).body).not.toContain(band);
    // In English too.
    const english = await signedIn('admin');
    await english.get(paths.language('en', { next: paths.admin.campaign(practice) }));
    expect((await english.get(paths.admin.campaign(practice))).body).toContain('Practice — this data has no value');
    // Marked in the secretariat's list and the council's, beside the real campaign.
    expect((await admin.get(paths.admin.campaigns())).body).toMatch(/Tập huấn — [^<]+<\/a> <span class="tag">tập huấn/);
    expect((await admin.get(paths.council.index())).body).toContain('<span class="tag practice-tag">Tập huấn</span>');
    // The secretariat's count of campaigns counts the real ones only.
    expect(await campaignsTile()).toBe(realCampaigns);
    await expectNothingPublic('after the copy');
  });

  it('the officer sees it beside the real campaign, with the band on every page, and self-assesses with evidence', async () => {
    const officer = await signedIn('canbo');
    const list = (await officer.get('/unit')).body;
    expect(list).toContain(paths.unit.campaign(unit, code));
    expect(list).toContain(paths.unit.campaign(unit, practice));
    expect(list).toContain('<span class="tag practice-tag">Tập huấn</span>');
    expect(list).not.toContain(band);
    for (const url of [
      paths.unit.campaign(unit, practice),
      paths.unit.criteria(unit, practice, { field: leaf.split('.')[0] }),
      paths.unit.submission(unit, practice),
      paths.unit.assignments(unit, practice),
      paths.unit.explanations(unit, practice),
    ]) {
      const res = await officer.get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain(band);
    }
    expect((await officer.get(paths.unit.campaign(unit, code))).body).not.toContain(band);
    const page = await officer.get(paths.unit.criteria(unit, practice, { field: leaf.split('.')[0] }));
    const saved = await officer.request('POST', paths.unit.criterion(unit, practice, leaf), {
      form: { _csrf: csrfToken(page.body), score: '0', explanation: 'Tập huấn: kế hoạch số 12', version: '1' },
    });
    expect(saved.statusCode).toBe(303);
    await upload(officer, practice, leaf, 'ke-hoach-tap-huan.pdf', shared);
    await upload(officer, practice, leaf, 'chi-tap-huan.pdf', onlyHere);
    // The practice's answer is its own: the real campaign's is untouched.
    const answers = await sql<{ code: string; explanation: string }>(
      `select k.code, cs.explanation from criterion_score cs join self_assessment sa on sa.id = cs.self_assessment_id
         join campaign k on k.id = sa.campaign_id join unit u on u.id = sa.unit_id join criterion c on c.id = cs.criterion_id
        where u.code = ? and c.code = ? and k.code in (?, ?) order by k.id`,
      [unit, leaf, code, practice],
    );
    expect(answers).toEqual([
      { code, explanation: '' },
      { code: practice, explanation: 'Tập huấn: kế hoạch số 12' },
    ]);
  });

  it('the head submits it; the audit events of the practice are marked as such', async () => {
    // The rest of the form filled in as the officer would (only the practice's answers).
    await sql(
      `update criterion_score cs set self_score = c.max_score, explanation = 'Đủ', version = version + 1
         from criterion c, self_assessment sa, unit u
        where c.id = cs.criterion_id and sa.id = cs.self_assessment_id and u.id = sa.unit_id and u.code = ? and sa.campaign_id = ? and cs.explanation = ''`,
      [unit, practiceId],
    );
    await sql('update criterion set evidence_required = false');
    const head = await signedIn('chutichxa');
    const page = await head.get(paths.unit.submission(unit, practice));
    expect(page.body).toContain(band);
    const res = await head.request('POST', paths.unit.submission(unit, practice), {
      form: { _csrf: csrfToken(page.body) },
    });
    expect(res.statusCode).toBe(303);
    const states = await sql<{ code: string; state: string }>(
      `select k.code, sa.state from self_assessment sa join campaign k on k.id = sa.campaign_id join unit u on u.id = sa.unit_id
        where u.code = ? and k.code in (?, ?) order by k.id`,
      [unit, code, practice],
    );
    expect(states.map((s) => s.state)).toEqual(['draft', 'submitted']);
    const marked = await sql<{ action: string }>(
      'select action from audit_event where practice_campaign_id = ? order by id',
      [practiceId],
    );
    expect(marked.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'practice.created',
        'criterion-score.saved',
        'evidence.uploaded',
        'self-assessment.submitted',
      ]),
    );
    // The real campaign's events are not marked.
    expect(
      await count(
        `select count(*)::int as n from audit_event where practice_campaign_id is not null and practice_campaign_id <> ?`,
        [practiceId],
      ),
    ).toBe(0);
    await expectNothingPublic('after the submission');
  });

  it('the secretariat moves its phase freely; the appraiser finds it beside the real one and appraises', async () => {
    // A training that has run past its dates: moving a phase opens its window again from today.
    await sql(`update campaign set appraisal_opens = ?::date - 60, appraisal_closes = ?::date - 40 where id = ?`, [
      today,
      today,
      practiceId,
    ]);
    const moved = await admin.submit(paths.admin.campaign(practice), paths.practice.phase(practice), {
      to: 'appraisal',
    });
    expect(moved.statusCode).toBe(303);
    expect((await admin.get(moved.headers.location as string)).body).toContain(
      'Đã chuyển đợt tập huấn sang giai đoạn “Thẩm định”',
    );
    expect(
      await one(
        `select to_char(appraisal_opens, 'YYYY-MM-DD') as opens, to_char(appraisal_closes, 'YYYY-MM-DD') as closes from campaign where id = ?`,
        [practiceId],
      ),
    ).toEqual({ opens: addDays(today, -60), closes: addDays(today, 30) });
    const appraiser = await signedIn('thamdinh');
    const home = (await appraiser.get(paths.appraisal.index())).body;
    expect(home).toContain('<span class="tag practice-tag">Tập huấn</span>');
    expect(home).not.toContain(band);
    const queue = await appraiser.get(paths.appraisal.queue({ campaign: practice }));
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain(band);
    const [id] = [...queue.body.matchAll(/href="\/appraisal\/items\/(\d+)\?/g)].map((m) => Number(m[1]));
    const item = await appraiser.get(paths.appraisal.item(id, { campaign: practice }));
    expect(item.body).toContain(band);
    const version = /name="version" value="(\d+)"/.exec(item.body)?.[1] ?? '1';
    const res = await appraiser.request('POST', paths.appraisal.item(id, { campaign: practice }), {
      form: { _csrf: csrfToken(item.body), version, action: 'accept' },
    });
    expect(res.statusCode).toBe(303);
    expect((await one<{ state: string }>('select state from appraisal where id = ?', [id])).state).toBe('accepted');
    await expectNothingPublic('during appraisal');
  });

  it('publishes to a preview that only the secretariat and the trainees see, never at a public address', async () => {
    expect(
      (await admin.submit(paths.admin.campaign(practice), paths.practice.phase(practice), { to: 'council-review' }))
        .statusCode,
    ).toBe(303);
    const council = await (await signedIn('chutich')).get(paths.council.campaign(practice));
    expect(council.body).toContain(band);
    const res = await admin.submit(paths.admin.campaign(practice), paths.practice.publish(practice), {});
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(paths.practice.preview(practice));
    const preview = await admin.get(paths.practice.preview(practice));
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain(band);
    expect(preview.body).toContain('Bản xem trước 1');
    expect(preview.body).toMatch(/<th scope="row"[^>]*>Xã Trực Thanh<\/th>/);
    for (const trainee of ['canbo', 'chutichxa', 'thamdinh', 'chutich']) {
      const seen = await (await signedIn(trainee)).get(paths.practice.preview(practice));
      expect(seen.statusCode, trainee).toBe(200);
      expect(seen.body, trainee).toContain(band);
    }
    // Someone whose unit does not take part in the practice does not find it.
    await sql(
      `delete from campaign_unit where campaign_id = ? and unit_id = (select id from unit where code = 'xa-truc-dao')`,
      [practiceId],
    );
    expect((await (await signedIn('canbo2')).get(paths.practice.preview(practice))).statusCode).toBe(404);
    // Nobody signed out, and no real campaign, has a preview.
    const visitor = await new Browser(t.app).get(paths.practice.preview(practice));
    expect(visitor.statusCode).toBe(303);
    expect(String(visitor.headers.location)).toMatch(/^\/sign-in/);
    expect((await admin.get(paths.practice.preview(code))).statusCode).toBe(404);
    expect(
      await count(
        `select count(*)::int as n from publication p join campaign c on c.id = p.campaign_id where c.code = ?`,
        [practice],
      ),
    ).toBe(1);
    await expectNothingPublic('after the preview');
  });

  it('resets it to its start for the next group, confirmed with the numbers it removes', async () => {
    const confirm = await admin.get(paths.practice.reset(practice));
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain(band);
    expect(confirm.body).toContain('Xác nhận: Đặt lại đợt tập huấn');
    expect(confirm.body).toContain('<dd id="n-submitted">1</dd>');
    expect(confirm.body).toContain('<dd id="n-appraised">1</dd>');
    expect(confirm.body).toContain('<dd id="n-evidenceFiles">2</dd>');
    expect(confirm.body).toContain('<dd id="n-publications">1</dd>');
    // The confirmation page changed nothing.
    expect((await one<{ state: string }>('select state from campaign where id = ?', [practiceId])).state).toBe(
      'published',
    );
    const res = await admin.request('POST', paths.practice.reset(practice), {
      form: { _csrf: csrfToken(confirm.body), confirm: 'yes' },
    });
    expect(res.statusCode).toBe(303);
    const after = await one<Record<string, number | string>>(
      `select c.state, (select count(*)::int from self_assessment sa where sa.campaign_id = c.id) as forms,
              (select count(*)::int from self_assessment sa where sa.campaign_id = c.id and sa.state = 'submitted') as submitted,
              (select count(*)::int from publication p where p.campaign_id = c.id) as publications,
              (select count(*)::int from campaign_unit cu where cu.campaign_id = c.id) as units,
              (select count(*)::int from audit_event e where e.practice_campaign_id = c.id and e.action = 'practice.reset') as resets
         from campaign c where c.id = ?`,
      [practiceId],
    );
    expect(after).toMatchObject({ state: 'self-assessment', submitted: 0, publications: 0, resets: 1 });
    expect(after.forms).toBe(after.units);
    // The practice's own file went from the store; the one the real campaign uses stayed.
    expect(await t.app.evidenceStore.has(sha(onlyHere))).toBe(false);
    expect(await t.app.evidenceStore.has(sha(shared))).toBe(true);
    expect((await admin.get(paths.practice.preview(practice))).body).toContain(
      'Đợt tập huấn chưa công bố bản xem trước.',
    );
    await expectNothingPublic('after the reset');
  });

  it('discards it whole, confirmed with the numbers; one audit line stays; shared evidence survives', async () => {
    const officer = await signedIn('canbo');
    await upload(officer, practice, leaf, 'ke-hoach-lan-2.pdf', shared);
    await upload(officer, practice, leaf, 'chi-tap-huan-lan-2.pdf', onlyHere);
    await admin.submit(paths.admin.campaign(practice), paths.practice.phase(practice), { to: 'council-review' });
    expect((await admin.submit(paths.admin.campaign(practice), paths.practice.publish(practice), {})).statusCode).toBe(
      303,
    );
    const realEvents = await count('select count(*)::int as n from audit_event where practice_campaign_id is null');
    const practiceEvents = await count('select count(*)::int as n from audit_event where practice_campaign_id = ?', [
      practiceId,
    ]);
    expect(practiceEvents).toBeGreaterThan(5);
    const confirm = await admin.get(paths.practice.discard(practice));
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Xác nhận: Hủy bỏ đợt tập huấn');
    expect(confirm.body).toContain('<dd id="n-evidenceFiles">2</dd>');
    expect(confirm.body).toContain('<dd id="n-evidenceOnlyHere">1</dd>');
    expect(confirm.body).toContain('<dd id="n-publications">1</dd>');
    expect(confirm.body).toContain(`<dd id="n-auditEvents">${practiceEvents}</dd>`);
    const res = await admin.request('POST', paths.practice.discard(practice), {
      form: { _csrf: csrfToken(confirm.body), confirm: 'yes' },
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(paths.practice.discarded());
    expect((await admin.get(paths.practice.discarded())).body).toContain('Đã hủy bỏ đợt tập huấn');
    expect(await count('select count(*)::int as n from campaign where code = ?', [practice])).toBe(0);
    expect(await count('select count(*)::int as n from audit_event where practice_campaign_id = ?', [practiceId])).toBe(
      0,
    );
    // The real log lost nothing and gained the one line saying who discarded what, and when.
    expect(await count('select count(*)::int as n from audit_event where practice_campaign_id is null')).toBe(
      realEvents + 1,
    );
    const line = await one<{ username: string; entity_id: string; before: Record<string, unknown> }>(
      `select u.username, e.entity_id, e.before from audit_event e join app_user u on u.id = e.actor_id
        where e.action = 'practice.discarded'`,
    );
    expect(line).toMatchObject({
      username: 'admin',
      entity_id: String(practiceId),
      before: { code: practice, submitted: 0, evidenceFiles: 2, evidenceOnlyHere: 1, publications: 1 },
    });
    expect(await t.app.evidenceStore.has(sha(onlyHere))).toBe(false);
    expect(await t.app.evidenceStore.has(sha(shared))).toBe(true);
    const download = await officer.get(paths.unit.evidence(unit, code, realFile));
    expect(download.statusCode).toBe(200);
    expect(Buffer.from(download.rawPayload).equals(shared)).toBe(true);
    expect((await admin.get(paths.admin.campaigns())).body).not.toContain(practice);
    await expectNothingPublic('after the discard');
  });

  it('with samples: units with last year’s published scores start submitted, for the appraisers on day one', async () => {
    const res = await admin.submit(paths.practice.make(code), paths.practice.make(code), { samples: 'on' });
    expect(res.statusCode).toBe(303);
    const copy = /\/admin\/campaigns\/([^?]+)\?saved=practice-(\d+)/.exec(res.headers.location as string)!;
    const units = await count(
      `select count(*)::int as n from campaign_unit cu join campaign c on c.id = cu.campaign_id where c.code = ?`,
      [code],
    );
    expect(Number(copy[2])).toBe(units);
    const filled = await one<{ submitted: number; scored: number; todo: number }>(
      `select count(distinct sa.id) filter (where sa.state = 'submitted')::int as submitted,
              count(*) filter (where cs.self_score is not null)::int as scored,
              (select count(*)::int from appraisal a join criterion_score x on x.id = a.criterion_score_id
                 join self_assessment s on s.id = x.self_assessment_id where s.campaign_id = c.id) as todo
         from campaign c join self_assessment sa on sa.campaign_id = c.id join criterion_score cs on cs.self_assessment_id = sa.id
        where c.code = ? group by c.id`,
      [copy[1]],
    );
    expect(filled.submitted).toBe(units);
    expect(filled.scored).toBeGreaterThan(units * 10);
    expect(filled.todo).toBeGreaterThan(0);
    await admin.submit(paths.admin.campaign(copy[1]!), paths.practice.phase(copy[1]!), { to: 'appraisal' });
    const queue = await (await signedIn('thamdinh')).get(paths.appraisal.queue({ campaign: copy[1]! }));
    expect(queue.body).toMatch(/href="\/appraisal\/items\/\d+\?/);
    expect(queue.body).toContain(band);
  });
});

describe('the append-only guarantees of the real campaigns', () => {
  let app: pg.Client;
  let owner: pg.Client;
  let realId: number;
  beforeAll(async () => {
    app = new pg.Client({ connectionString: appUrlFor(t.databaseUrl) });
    owner = new pg.Client({ connectionString: t.databaseUrl });
    await app.connect();
    await owner.connect();
    ({ id: realId } = await one<{ id: number }>('select id from campaign where code = ?', [pastYear]));
  });
  afterAll(async () => {
    await app.end();
    await owner.end();
  });

  it('the app role still cannot delete audit events or publications, nor discard a real campaign through the function', async () => {
    for (const table of ['audit_event', 'publication', 'published_result'])
      await expect(app.query(`delete from "${table}"`)).rejects.toThrow(/permission denied/);
    await expect(app.query('select discard_practice_records($1, true)', [realId])).rejects.toThrow(
      /not a practice campaign/,
    );
    // Turning a real campaign into a practice one is recorded, and such a campaign is never discardable.
    await app.query('update campaign set practice = true where id = $1', [realId]);
    await expect(app.query('select discard_practice_records($1, true)', [realId])).rejects.toThrow(
      /not a practice campaign/,
    );
    await app.query('update campaign set practice = false where id = $1', [realId]);
    const flips = await app.query(
      `select count(*)::int as n from audit_event where action = 'campaign.practice-changed' and entity_id = $1`,
      [String(realId)],
    );
    expect(flips.rows[0].n).toBe(2);
    expect(
      (await app.query('select count(*)::int as n from publication where campaign_id = $1', [realId])).rows[0].n,
    ).toBe(1);
  });

  it('even the owner, with the discard setting forged, cannot delete a real campaign’s rows', async () => {
    await owner.query('begin');
    try {
      await owner.query(`select set_config('cchc.discard_practice', $1, true)`, [String(realId)]);
      await expect(owner.query('delete from publication where campaign_id = $1', [realId])).rejects.toThrow(
        /append-only/,
      );
    } finally {
      await owner.query('rollback');
    }
    await owner.query('begin');
    try {
      await owner.query(`select set_config('cchc.discard_practice', $1, true)`, [String(realId)]);
      await expect(owner.query(`delete from audit_event where entity_id = $1`, [String(realId)])).rejects.toThrow(
        /append-only/,
      );
    } finally {
      await owner.query('rollback');
    }
  });
});
