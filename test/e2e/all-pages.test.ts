import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Browser as Chromium, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../src/features/demo/seed.ts';
import { publishCampaign } from '../../src/features/publication/publish.ts';
import { createPracticeCampaign } from '../../src/features/practice.ts';
import { importWorkbook } from '../../src/features/workbook/index.ts';
import { Browser, type TestApp } from '../helpers/app.ts';
import { startAppraisalApp } from '../helpers/appraisal.ts';
import { launchChromium, screenshot, screenshotsDir } from '../helpers/browser.ts';
import { pdfBytes } from '../helpers/evidence.ts';
import { buildWorkbook, validSheets } from '../helpers/workbook.ts';

// Every page of the route table, for every kind of person who may open it (the public, the commune officer, the
// appraiser, the council chair, the secretariat): axe-core finds no serious or critical violation with the portal's
// script policy intact, the page fits a 390 px phone without scrolling sideways, and a 390 px and a 1366 px
// screenshot of each go to test/e2e/__screenshots__/all-pages/<person>/ for a person to look at. Then the same in the
// campaign's other states (a commune filling in its self-assessment, the council reviewing) and on refused forms (the
// error summary at the top).
// Which pages a person may open is read from the app itself (each GET answered 200 with HTML), so a new route is
// scanned without being listed here; the addresses name real records, as in test/http/access-matrix.test.ts.

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const phone = 390;

type Who = 'anonymous' | 'canbo' | 'canbo2' | 'thamdinh' | 'thuky' | 'chutich' | 'admin';
/** The commune officer, the appraiser, the working group's secretary, the council chair and the secretariat; and the public. */
const people: Who[] = ['anonymous', 'canbo', 'thamdinh', 'thuky', 'chutich', 'admin'];

let t: TestApp;
let base: string;
let chromium: Chromium;
let params: Record<string, string>;
let published: Record<string, string>;
let grantId: string;
/** A practice campaign (Tập huấn) copied from the demo's: its preview and its reset's and discard's confirmations. */
let practiceCode: string;

beforeAll(async () => {
  let code: string, itemId: number, criterionId: number;
  ({ t, code, itemId, criterionId } = await startAppraisalApp());
  const sql = <T extends object>(text: string, values: unknown[] = []) => t.orm.em.fork().execute<T[]>(text, values);
  // An evidence file of criterion 1.1.1 and an open request for explanation about its item, as in the access matrix;
  // the file's name is one long word, as people name their files, which must not push a page past a phone's width.
  const [score] = await sql<{ id: number }>(
    `select cs.id from criterion_score cs join criterion c on c.id = cs.criterion_id join self_assessment sa on sa.id = cs.self_assessment_id
       join unit u on u.id = sa.unit_id where u.code = 'xa-truc-thanh' and c.code = '1.1.1'`,
  );
  const pdf = await pdfBytes();
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  const temp = await t.app.evidenceStore.tempPath();
  await writeFile(temp, pdf);
  await t.app.evidenceStore.put(temp, sha256);
  const [file] = await sql<{ id: number }>(
    `insert into evidence_file (criterion_score_id, sha256, size, media_type, original_name, uploaded_by_id, uploaded_at)
     values (?, ?, ?, 'application/pdf', 'KeHoachCaiCachHanhChinhNam2026CuaUBNDXaTrucThanhBanDaKySo.pdf', (select id from app_user where username = 'canbo'), now()) returning id`,
    [score.id, sha256, pdf.length],
  );
  const [request] = await sql<{ id: number }>(
    `insert into explanation_request (appraisal_id, message, due_date, requested_by_id, requested_at)
     values (?, 'Bổ sung', current_date + 30, (select id from app_user where username = 'thamdinh'), now()) returning id`,
    [itemId],
  );
  // The campaign lets its agencies record on-site checks; a visit of the Nội vụ with its minutes and a "không khớp"
  // finding on 1.1.1, so that the visit pages of both areas and the finding on the item are scanned.
  await sql('update campaign set onsite_by_agencies = true where code = ?', [code]);
  const [visit] = await sql<{ id: number }>(
    `insert into onsite_visit (campaign_id, unit_id, agency_id, visited_on, members, minutes_sha256, minutes_name, minutes_media_type, minutes_size, recorded_by_id)
     select c.id, u.id, a.id, current_date, 'Nguyễn Thị Lan Anh, Phòng Nội vụ', ?, 'BienBanKiemTraThucTeXaTrucThanhDaKy.pdf', 'application/pdf', ?, (select id from app_user where username = 'thamdinh')
       from campaign c, unit u, agency a where c.code = ? and u.code = 'xa-truc-thanh' and a.code = 'noi-vu' returning id`,
    [sha256, pdf.length, code],
  );
  await sql(
    `insert into onsite_finding (visit_id, criterion_id, result, note) values (?, ?, 'mismatch', 'Kế hoạch gốc ban hành ngày 15/02')`,
    [visit.id, criterionId],
  );
  [{ id: grantId }] = await sql<{ id: string }>(
    `select r.id::text as id from role_assignment r join app_user u on u.id = r.user_id where u.username = 'canbo'`,
  );
  // A criteria set no campaign uses yet, so its criterion form is a form (a set in use shows criteria read-only).
  const [freeSet] = await sql<{ id: number }>(
    `insert into criteria_set (name, year, decision, locked, created_at) values ('Bộ tiêu chí nháp', 2027, '', false, now()) returning id`,
  );
  params = {
    freeSet: String(freeSet.id),
    code,
    unit: 'xa-truc-thanh',
    id: String(itemId),
    cid: String(criterionId),
    criterion: '1.1.1',
    file: String(file.id),
    username: 'canbo',
    version: '1',
    format: 'json',
    request: String(request.id),
    visit: String(visit.id),
  };
  const em = () => t.orm.em.fork() as EntityManager;
  const imported = await importWorkbook(em(), await buildWorkbook(validSheets('thu-2024')), { actorId: null });
  if (!imported.ok) throw new Error(JSON.stringify(imported.errors));
  const done = await publishCampaign(em(), null, 'thu-2024', { imported: true });
  if (!done.ok) throw new Error(JSON.stringify(done.errors));
  published = { ...params, code: 'thu-2024', unit: 'xa-a', year: '2024' };
  const [secretariat] = await sql<{ id: number }>(`select id from app_user where username = 'admin'`);
  const practice = await createPracticeCampaign(em(), secretariat, code, { samples: false, today: '2026-01-01' });
  if (!practice.ok) throw new Error(JSON.stringify(practice.errors));
  practiceCode = practice.value.code;
  // The online survey: open for the current campaign (Xã Trực Thanh's form at /ks/allpages1), shown for the published one.
  for (const [campaign, open] of [
    [code, true],
    ['thu-2024', false],
  ] as const) {
    const [{ id }] = await sql<{ id: number }>('select id from campaign where code = ?', [campaign]);
    await sql(
      `insert into survey_settings (campaign_id, opens_on, closes_on) values (?, current_date - 1, current_date + 1)`,
      [id],
    );
    const [group] = await sql<{ id: number }>(
      `insert into survey_group (campaign_id, position, name) values (?, 1, 'Người dân') returning id`,
      [id],
    );
    await sql(`insert into survey_question (group_id, position, text) values (?, 1, 'Thái độ của công chức')`, [
      group.id,
    ]);
    if (open)
      await sql(
        `insert into survey_link (campaign_id, unit_id, code) select ?, id, 'allpages1' from unit where code = 'xa-truc-thanh'`,
        [id],
      );
  }
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  // Only this run's screenshots: a page gone from the route table leaves none behind.
  rmSync(path.join(screenshotsDir, 'all-pages'), { recursive: true, force: true });
  chromium = await launchChromium();
}, 120_000);
afterAll(async () => {
  await chromium?.close();
  await t?.close();
});

/** A route's address with real records in it (the same choices as the access matrix); `unit` for the unit area. */
function address(url: string, unit = params.unit): string {
  if (/^\/practice\/|\/practice\/(reset|discard)$/.test(url)) return url.replace(':code', practiceCode);
  const values =
    url.startsWith('/campaigns') || url.startsWith('/open-data') || url.startsWith('/years')
      ? published
      : { ...params, unit };
  const code = url.startsWith('/admin/units')
    ? 'xa-truc-thanh'
    : url.startsWith('/admin/agencies')
      ? 'noi-vu'
      : url.startsWith('/admin/criteria-sets')
        ? undefined
        : values.code;
  return url.replace(/:(\w+)/g, (_, name: string) => {
    if (name === 'code') return url.startsWith('/ks/') ? 'allpages1' : (code ?? '1');
    if (name === 'id' && url.startsWith('/admin/criteria-sets')) return '1';
    if (name === 'id' && url.startsWith('/admin/users')) return grantId;
    if (name === 'id' && url.includes('/explanations/')) return values.request;
    return values[name] ?? '1';
  });
}

/** The route table's GET routes opened as a page by someone, and those that answer a file (a download). */
const scanned = new Set<string>();
const files = new Set<string>();
/**
 * Addresses that are never a page of their own: a refused save without JavaScript posts to them, and opened again
 * they send the reader on to the page the form lives on (303).
 */
const redirectOnly = new Set([
  '/unit/:unit/campaigns/:code/criteria/:criterion',
  '/unit/:unit/campaigns/:code/explanations/:id',
  '/unit/:unit/campaigns/:code/explanations/:id/evidence',
]);

/**
 * The HTML pages `who` may open: every GET of the route table the app answers with 200 and a page (`only` narrows
 * the routes). The published pages are the same for everyone: the public's visit covers them.
 */
async function pagesOf(who: Who, opts: { unit?: string; only?: RegExp } = {}): Promise<string[]> {
  const b = new Browser(t.app);
  if (who !== 'anonymous') await b.signIn(who);
  const pages: string[] = [];
  for (const route of t.app.routeTable) {
    if (route.method !== 'GET' || route.url.startsWith('/assets') || route.url.startsWith('/lang/')) continue;
    if (who !== 'anonymous' && route.public) continue;
    if (opts.only && !opts.only.test(route.url)) continue;
    // A download (results.xlsx, report.docx…) is no page: not made at all, it is slow to make.
    if (/\.[:\w]+$/.test(route.url)) {
      files.add(route.url);
      continue;
    }
    const url = address(route.url, opts.unit);
    const res = await b.get(url);
    if (res.statusCode !== 200) continue;
    if (String(res.headers['content-type']).startsWith('text/html')) {
      pages.push(url);
      scanned.add(route.url);
    } else files.add(route.url);
  }
  return pages;
}

interface Finding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** axe-core's serious and critical findings on the page as it is (axe was put in through the DevTools protocol). */
async function axeFindings(page: Page): Promise<Finding[]> {
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            context: Document,
            options: object,
          ): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
      }));
  });
}

const fileName = (url: string) =>
  url
    .replace(/^\//, '')
    .replace(/[^a-z0-9.-]+/gi, '_')
    .replace(/^$/, 'root');

/** A page in a signed-in browser (JavaScript on, as axe needs), at 390 px, with axe ready in every document. */
async function personPage(who: Who) {
  const context = await chromium.newContext({ locale: 'vi-VN', viewport: { width: phone, height: 740 } });
  const page = await context.newPage();
  // Axe goes in through the DevTools protocol, past the page's Content-Security-Policy (which stays as it is):
  // evaluated in every new document before the page's own scripts.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Page.enable');
  await cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: axeSource });
  const blocked: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) blocked.push(`${page.url()}: ${m.text()}`);
  });
  if (who !== 'anonymous') {
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Tên đăng nhập').fill(who);
    await page.getByLabel('Mật khẩu').fill(demoPassword);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL((u) => u.pathname !== '/sign-in');
  }
  const findings: Record<string, Finding[]> = {};
  const wide: Record<string, number> = {};
  return {
    page,
    /** Scans the page as it stands: axe, the width at 390 px, and a screenshot at 390 and 1366 px. */
    async check(name: string, folder: string) {
      // Folded details are read too: what they hide must be as accessible as the rest.
      await page.evaluate(() =>
        document.querySelectorAll('details').forEach((d) => {
          d.open = true;
        }),
      );
      const found = await axeFindings(page);
      if (found.length) findings[name] = found;
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      if (scrollWidth > phone) wide[name] = scrollWidth;
      await screenshot(page, `all-pages/${folder}`, `${fileName(name)}-390.png`, phone);
      await screenshot(page, `all-pages/${folder}`, `${fileName(name)}-1366.png`, 1366);
    },
    /** What was found: nothing, for the test to pass. */
    async done() {
      await context.close();
      return { findings, wide, blocked };
    },
  };
}

const clean = { findings: {}, wide: {}, blocked: [] };
const counted: Record<string, number> = {};

/** An address no route answers: the "not found" page is a page people see too. */
const notFound = '/khong-co-trang-nay';

/** Opens each address as `who` and checks it. */
async function checkPages(who: Who, urls: string[], folder: string) {
  counted[folder] = urls.length;
  const p = await personPage(who);
  for (const url of urls) {
    const response = await p.page.goto(base + url);
    expect(response?.status(), url).toBe(url === notFound ? 404 : 200);
    await p.check(url, folder);
  }
  return p.done();
}

async function setState(state: string) {
  await t.orm.em.fork().execute('update campaign set state = ? where code = ?', [state, params.code]);
}

afterAll(() => {
  console.info(`all-pages: pages per person and state ${JSON.stringify(counted)}`);
});

// The people one after the other, then the states that change the campaign.
// Generous time-outs: the machine may be busy.
describe('every page, for every person who may open it', () => {
  it.each(people)(
    '%s, during appraisal: no serious or critical axe finding, fits 390 px',
    { timeout: 120_000 },
    async (who) => {
      const urls = await pagesOf(who);
      expect(urls.length).toBeGreaterThan(2);
      if (who === 'anonymous' || who === 'canbo') urls.push(notFound);
      expect(await checkPages(who, urls, who)).toEqual(clean);
    },
  );

  it("a second commune's officer while the self-assessment is open: the forms to fill in", {
    timeout: 60_000,
  }, async () => {
    await setState('self-assessment');
    const urls = await pagesOf('canbo2', { unit: 'xa-truc-dao', only: /^\/unit/ });
    expect(urls.length).toBeGreaterThan(4);
    expect(await checkPages('canbo2', urls, 'canbo2-self-assessment')).toEqual(clean);
  });

  it('the council chair during council review: the approval form', { timeout: 60_000 }, async () => {
    await setState('council-review');
    const urls = await pagesOf('chutich', { only: /^\/council/ });
    expect(urls.length).toBeGreaterThan(2);
    expect(await checkPages('chutich', urls, 'chutich-council-review')).toEqual(clean);
  });

  it("the weighty steps' confirmation pages: a phase change while self-assessment is open, a publication once approved", {
    timeout: 60_000,
  }, async () => {
    await setState('self-assessment');
    const step = await pagesOf('admin', { only: /^\/admin\/campaigns\/:code\/state$/ });
    await setState('approved');
    const publication = await pagesOf('admin', { only: /^\/admin\/campaigns\/:code\/publications$/ });
    expect([...step, ...publication]).toHaveLength(2);
    expect(await checkPages('admin', [...step, ...publication], 'admin-confirmations')).toEqual(clean);
    await setState('appraisal');
  });

  it('left no page of the route table out', () => {
    // A page nobody above could open (an address this file cannot build) would go unchecked: name it here.
    // The first start's setup page answers only with its one-time token.
    const left = t.app.routeTable
      .filter((r) => r.method === 'GET' && !/^\/(assets|lang)\//.test(r.url) && r.url !== '/setup')
      .map((r) => r.url)
      .filter((url) => !scanned.has(url) && !files.has(url) && !redirectOnly.has(url));
    expect(left).toEqual([]);
    expect(scanned.size).toBeGreaterThan(40);
  });
});

/** A form sent empty (or as `fill` leaves it), the browser's own checks off: the page that answers must be as good. */
interface Refusal {
  who: Who;
  url: string;
  fill?: (page: Page) => Promise<void>;
  /** The form's submit button, when the page has more than one form. */
  button?: string;
}

const refusals: Refusal[] = [
  {
    who: 'anonymous',
    url: '/sign-in',
    fill: async (page) => {
      await page.getByLabel('Tên đăng nhập').fill('canbo');
      await page.getByLabel('Mật khẩu').fill('not the password');
    },
  },
  { who: 'canbo', url: '/account/password' },
  {
    who: 'canbo2',
    url: '/unit/xa-truc-dao/campaigns/:code/criteria?field=1',
    // A score typed as a word, in the first criterion scored by a number.
    fill: async (page) => {
      await page.locator('.score-form:has(input[name="score"]) input[name="score"]').first().fill('abc');
    },
    button: '.score-form:has(input[name="score"]) button[type="submit"]',
  },
  { who: 'admin', url: '/admin/units/new' },
  { who: 'admin', url: '/admin/agencies/new' },
  { who: 'admin', url: '/admin/users/new' },
  { who: 'admin', url: '/admin/criteria-sets/new' },
  { who: 'admin', url: '/admin/criteria-sets/:freeSet/criteria/new' },
  { who: 'admin', url: '/admin/campaigns/new' },
];

describe('refused forms', () => {
  it.each(['anonymous', 'canbo', 'canbo2', 'admin'] as Who[])(
    '%s: the error summary page has no serious or critical axe finding and fits 390 px',
    { timeout: 60_000 },
    async (who) => {
      await setState('self-assessment');
      const p = await personPage(who);
      const mine = refusals.filter((r) => r.who === who);
      counted[`${who}-refused`] = mine.length;
      for (const r of mine) {
        const url = address(r.url, who === 'canbo2' ? 'xa-truc-dao' : undefined);
        await p.page.goto(base + url);
        await p.page.evaluate(() =>
          document.querySelectorAll('form').forEach((f) => {
            f.noValidate = true;
          }),
        );
        await r.fill?.(p.page);
        await p.page
          .locator(r.button ?? 'main form button[type="submit"]:not(.default-submit):not(.add-rows):visible')
          .first()
          .click();
        await p.page.locator('.error-summary, .error-message').first().waitFor();
        await p.check(`${url}-refused`, `${who}-refused`);
      }
      expect(await p.done()).toEqual(clean);
    },
  );
});
