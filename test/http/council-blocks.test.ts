import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser as Chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentResults } from '../../src/features/results.ts';
import { paths } from '../../src/http/paths.ts';
import { formatDate, todayInVietnam } from '../../src/domain/dates.ts';
import { Browser, csrfToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { setCampaignState, submitUnitBySql } from '../helpers/appraisal.ts';
import { launchChromium, screenshot, textOf } from '../helpers/browser.ts';

// Issue 15, the council's side of blocks: the demo district's campaign split into two blocks (its three towns and its
// eighteen communes), some units submitted and appraised, set up with SQL as the secretariat's blocks form, the
// submissions and the appraisers' work would leave it. The preliminary ranking shows one table per block, ranks
// within the block (ties too), the block's own band counts, and the units that did not submit apart within it.

let t: TestApp;
let campaignId: number;
let code: string;
let url: string;
let admin: Browser;
const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  t.orm.em.fork().execute<T[]>(text, params);

/** Accepts the self score of a unit's criteria whose code is like `codeLike` ('1.%': field 1). */
async function accept(unitCode: string, codeLike: string) {
  const rows = await sql<{ id: number }>(
    `update appraisal a set state = 'accepted', appraised_score = cs.self_score, appraiser_id = (select id from app_user where username = 'thamdinh'), updated_at = now()
       from criterion_score cs join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id
       join criterion c on c.id = cs.criterion_id
      where a.criterion_score_id = cs.id and sa.campaign_id = ? and u.code = ? and c.code like ?
      returning a.id`,
    [campaignId, unitCode, codeLike],
  );
  expect(rows.length).toBeGreaterThan(0);
}

beforeAll(async () => {
  t = await startTestApp();
  [{ id: campaignId, code }] = await sql<{ id: number; code: string }>('select id, code from campaign limit 1');
  url = paths.council.ranking(code);
  await sql(
    `update campaign_unit cu set block = case when u.kind = 'thị trấn' then 'Thị trấn' else 'Xã' end
       from unit u where u.id = cu.unit_id and cu.campaign_id = ?`,
    [campaignId],
  );
  for (const unit of ['thi-tran-co-le', 'thi-tran-cat-thanh', 'thi-tran-ninh-cuong', 'xa-truc-thanh', 'xa-truc-dao'])
    await submitUnitBySql(t.orm, unit);
  await submitUnitBySql(t.orm, 'xa-truc-tuan', 0.5);
  await setCampaignState(t.orm, 'council-review');
  // Cổ Lễ is appraised in full; Cát Thành and Ninh Cường only in field 2, alike: second equal in their block.
  await accept('thi-tran-co-le', '%');
  // Every respondent of Cổ Lễ's survey satisfied: the whole survey component.
  await sql(
    `insert into survey_result (campaign_id, unit_id, respondents, satisfied_answers, questions_per_respondent)
     select ?, id, 100, 800, 8 from unit where code = 'thi-tran-co-le'`,
    [campaignId],
  );
  await accept('thi-tran-cat-thanh', '2.%');
  await accept('thi-tran-ninh-cuong', '2.%');
  // Trực Thanh and Trực Đạo alike, first equal among the communes; Trực Tuấn submitted, nothing appraised yet.
  await accept('xa-truc-thanh', '1.%');
  await accept('xa-truc-dao', '1.%');
  admin = new Browser(t.app);
  await admin.signIn('admin');
});
afterAll(async () => {
  await t.close();
});

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
const tableOf = (html: string, id: string) =>
  new RegExp(`<table class="table" id="${id}">([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '';
const rowsOf = (table: string) => [...table.matchAll(/<tr data-unit="([^"]+)">/g)].map((m) => m[1]!);
const cellOf = (table: string, unit: string, col: string) => {
  const row = new RegExp(`<tr data-unit="${unit}">([\\s\\S]*?)</tr>`).exec(table)?.[1] ?? '';
  return text(new RegExp(`data-col="${col}">([\\s\\S]*?)</td>`).exec(row)?.[1] ?? '');
};
/** The band counts under a block's heading, by band ('not-submitted' for those apart). */
const bandsOf = (html: string, anchor: string) => {
  const line = new RegExp(`<p class="bandline" id="bands-${anchor}">([\\s\\S]*?)</p>`).exec(html)?.[1] ?? '';
  return Object.fromEntries(
    [...line.matchAll(/data-band="([^"]+)">[^<]*<strong>(\d+)<\/strong>/g)].map((m) => [m[1]!, Number(m[2])]),
  );
};

describe('the preliminary ranking of a campaign in blocks', () => {
  it('shows one table per block, in the order of the blocks, each headed by its name and size', async () => {
    const page = await admin.get(url);
    expect(page.statusCode).toBe(200);
    const html = page.body;
    expect(html).not.toContain('id="preliminary-ranking"');
    const headings = [...html.matchAll(/<h3 id="(block-\d+)">([^<]*)<\/h3>/g)].map((m) => [m[1], m[2]]);
    expect(headings).toEqual([
      ['block-1', 'Khối Thị trấn — 3 đơn vị'],
      ['block-2', 'Khối Xã — 18 đơn vị'],
    ]);
    // The chooser leads to each block's heading on this page.
    expect(html).toContain(`<a href="${url}#block-1">Thị trấn <span class="muted">(3)</span></a>`);
    expect(html).toContain(`<a href="${url}#block-2">Xã <span class="muted">(18)</span></a>`);
    expect(rowsOf(tableOf(html, 'preliminary-ranking-1'))).toEqual([
      'thi-tran-co-le',
      'thi-tran-cat-thanh',
      'thi-tran-ninh-cuong',
    ]);
    const communes = rowsOf(tableOf(html, 'preliminary-ranking-2'));
    expect(communes).toHaveLength(18);
    expect(tableOf(html, 'preliminary-ranking-2')).toContain('data-label="Hạng trong khối" data-col="rank"');
    expect(communes.slice(0, 3)).toEqual(['xa-truc-dao', 'xa-truc-thanh', 'xa-truc-tuan']);
  });

  it('ranks within each block, ties sharing a rank, and lists the units that did not submit apart in their block, by name', async () => {
    const html = (await admin.get(url)).body;
    const towns = tableOf(html, 'preliminary-ranking-1');
    const communes = tableOf(html, 'preliminary-ranking-2');
    // Across the whole campaign Cát Thành would be fourth, behind Cổ Lễ, Trực Thanh and Trực Đạo: within its block it is second equal.
    expect(
      ['thi-tran-co-le', 'thi-tran-cat-thanh', 'thi-tran-ninh-cuong'].map((u) => cellOf(towns, u, 'rank')),
    ).toEqual(['1', '2', '2']);
    expect(cellOf(towns, 'thi-tran-cat-thanh', 'index')).toBe(cellOf(towns, 'thi-tran-ninh-cuong', 'index'));
    const value = (v: string) => Number(v.replace(',', '.'));
    expect(value(cellOf(towns, 'thi-tran-cat-thanh', 'index'))).toBeLessThan(
      value(cellOf(communes, 'xa-truc-thanh', 'index')),
    );
    expect(['xa-truc-dao', 'xa-truc-thanh', 'xa-truc-tuan'].map((u) => cellOf(communes, u, 'rank'))).toEqual([
      '1',
      '1',
      '3',
    ]);
    expect(cellOf(communes, 'xa-truc-tuan', 'index')).toBe('0');
    const apart = rowsOf(communes).slice(3);
    expect(apart).toHaveLength(15);
    const names = await sql<{ code: string }>(
      `select u.code from campaign_unit cu join unit u on u.id = cu.unit_id
        where cu.campaign_id = ? and cu.block = 'Xã' and u.code not in ('xa-truc-thanh', 'xa-truc-dao', 'xa-truc-tuan')
        order by u.name collate "vi-x-icu", u.code`,
      [campaignId],
    );
    expect(apart).toEqual(names.map((n) => n.code));
    for (const unit of apart) {
      expect(cellOf(communes, unit, 'rank')).toBe('—');
      expect(cellOf(communes, unit, 'band')).toBe('Không nộp báo cáo tự đánh giá');
    }
  });

  it("counts each block's units per band, the units that did not submit apart", async () => {
    const html = (await admin.get(url)).body;
    const { input, results } = await currentResults(t.orm.em.fork(), campaignId);
    const bands = input.rules.bands.map((b) => b.name);
    const submitted = new Set(['thi-tran-co-le', 'thi-tran-cat-thanh', 'thi-tran-ninh-cuong', 'xa-truc-thanh']);
    submitted.add('xa-truc-dao').add('xa-truc-tuan');
    const expected = (block: string) =>
      Object.fromEntries(
        bands.map((b) => [b, results.filter((r) => r.block === block && submitted.has(r.code) && r.band === b).length]),
      );
    expect(bandsOf(html, 'block-1')).toEqual(expected('Thị trấn'));
    // Cổ Lễ, appraised in full with a satisfied survey, is in a band above "Yếu"; the others of its block are not.
    const townBands = bandsOf(html, 'block-1');
    expect(townBands.Yếu).toBe(2);
    expect(Object.entries(townBands).filter(([band, n]) => band !== 'Yếu' && n === 1)).toHaveLength(1);
    expect(bandsOf(html, 'block-2')).toMatchObject({ 'Trung bình': 0, Yếu: 3 });
    expect(bandsOf(html, 'block-2')).toEqual({ ...expected('Xã'), 'not-submitted': 15 });
    // The counts add up to the block's rows, and agree with the band each row shows.
    for (const [anchor, table] of [
      ['block-1', 'preliminary-ranking-1'],
      ['block-2', 'preliminary-ranking-2'],
    ] as const) {
      const shown = tableOf(html, table);
      const counts = bandsOf(html, anchor);
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(rowsOf(shown).length);
      for (const band of bands)
        expect(counts[band]).toBe(rowsOf(shown).filter((u) => cellOf(shown, u, 'band') === band).length);
    }
    expect(text(html)).toContain('Xếp loại trong khối:');
  });

  it("counts submissions per block on the council's overview", async () => {
    const html = (await admin.get(paths.council.campaign(code))).body;
    const summary = (id: string) => text(new RegExp(`<dd id="${id}">([^<]*)</dd>`).exec(html)?.[1] ?? '');
    expect(summary('sum-submitted')).toBe('6 / 21');
    expect(summary('sum-submitted-block-1')).toBe('3 / 3');
    expect(summary('sum-submitted-block-2')).toBe('3 / 18');
    expect(text(html)).toContain('Đã nộp tự đánh giá — khối Thị trấn 3 / 3');
  });

  it("lists, on the approval's confirmation page, the submissions and the units that did not submit block by block", async () => {
    await sql(`update campaign set appraisal_closes = current_date - 1 where id = ?`, [campaignId]);
    const chair = await Browser.signedIn(t.app, 'chutich');
    const form = (await chair.get(url)).body;
    const page = await chair.request('POST', paths.council.approval(code), {
      form: { _csrf: csrfToken(form), decision: '15/QĐ-UBND', decisionDate: formatDate(todayInVietnam()) },
    });
    expect(page.statusCode).toBe(200);
    const html = page.body;
    expect(text(/<dd id="n-submitted-block-1">([^<]*)</.exec(html)?.[1] ?? '')).toBe('3 / 3');
    expect(text(/<dd id="n-submitted-block-2">([^<]*)</.exec(html)?.[1] ?? '')).toBe('3 / 18');
    expect(html).not.toContain('id="not-submitted"');
    expect(html).not.toContain('id="not-submitted-block-1"');
    expect(text(html)).toContain('Đơn vị chưa nộp tự đánh giá (15) Khối Xã (15)');
    const list = /<ul class="columns" id="not-submitted-block-2"[^>]*>([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
    expect([...list.matchAll(/<li>/g)]).toHaveLength(15);
    expect(list).toContain('<li>Xã Liêm Hải</li>');
    expect(list).not.toContain('Trực Thanh');
  });

  it('ranks the whole campaign in one table again, as before blocks, once the blocks are cleared', async () => {
    await sql('update campaign_unit set block = null where campaign_id = ?', [campaignId]);
    try {
      const html = (await admin.get(url)).body;
      expect(html).not.toContain('class="bandline"');
      expect(html).not.toMatch(/<h3 id="block-/);
      expect(html).not.toContain('class="blocks"');
      const table = tableOf(html, 'preliminary-ranking');
      expect(rowsOf(table).slice(0, 6)).toEqual([
        'thi-tran-co-le',
        'xa-truc-dao',
        'xa-truc-thanh',
        'thi-tran-cat-thanh',
        'thi-tran-ninh-cuong',
        'xa-truc-tuan',
      ]);
      expect(rowsOf(table)).toHaveLength(21);
      expect(
        ['thi-tran-co-le', 'xa-truc-dao', 'thi-tran-cat-thanh', 'xa-truc-tuan'].map((u) => cellOf(table, u, 'rank')),
      ).toEqual(['1', '2', '4', '6']);
      expect(table).toContain('data-label="Hạng" data-col="rank"');
      const overview = (await admin.get(paths.council.campaign(code))).body;
      expect(overview).not.toContain('id="sum-submitted-block-');
    } finally {
      await sql(
        `update campaign_unit cu set block = case when u.kind = 'thị trấn' then 'Thị trấn' else 'Xã' end
           from unit u where u.id = cu.unit_id and cu.campaign_id = ?`,
        [campaignId],
      );
    }
  });

  it('speaks English on the switch', async () => {
    const b = await Browser.signedIn(t.app, 'chutich');
    b.cookies.set('cchc_lang', 'en');
    const html = (await b.get(url)).body;
    expect(html).toContain('Block Thị trấn — 3 units');
    expect(html).toContain('Bands within the block');
  });

  it('at 390 px, the chair reads each block of the ranking with its band counts', async () => {
    const browser: Chromium = await launchChromium();
    try {
      const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
      const context = await browser.newContext({ locale: 'vi-VN', viewport: { width: 390, height: 740 } });
      const page = await context.newPage();
      // axe-core goes in through the DevTools protocol, past the page's Content-Security-Policy (as in all-pages).
      const cdp = await context.newCDPSession(page);
      await cdp.send('Page.enable');
      await cdp.send('Page.addScriptToEvaluateOnNewDocument', {
        source: readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'),
      });
      const blocked: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) blocked.push(m.text());
      });
      await page.goto(`${base}${paths.signIn()}`);
      await page.getByLabel('Tên đăng nhập').fill('chutich');
      await page.getByLabel('Mật khẩu').fill('demo-cchc-2024');
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await page.waitForURL((u) => u.pathname !== paths.signIn());
      await page.goto(`${base}${url}`);
      expect(await textOf(page.locator('#block-2'))).toBe('Khối Xã — 18 đơn vị');
      await page.getByRole('link', { name: 'Xã (18)' }).click();
      await page.waitForURL((u) => u.hash === '#block-2');
      await screenshot(page, 'council-blocks', 'ranking-in-blocks-390.png');
      // Nothing wider than the phone, no serious or critical accessibility finding, nothing refused by the CSP.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      const findings = await page.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: { run(d: Document, o: object): Promise<{ violations: { id: string; impact: string }[] }> };
          }
        ).axe;
        const result = await axe.run(document, { resultTypes: ['violations'] });
        return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
      });
      expect(findings).toEqual([]);
      expect(blocked).toEqual([]);
      await context.close();
    } finally {
      await browser.close();
    }
  });
});

describe('the preliminary ranking of a campaign in blocks, in pages', () => {
  it('pages over the blocks one after the other, a block cut by the page break going on under its heading', async () => {
    await sql(`insert into unit (code, name, kind, parent_id, created_at)
               select 'xa-them-' || lpad(n::text, 3, '0'), 'Xã Thêm ' || lpad(n::text, 3, '0'), 'xã', (select parent_id from unit where code = 'xa-truc-thanh'), now()
                 from generate_series(1, 300) n`);
    await sql(
      `insert into campaign_unit (campaign_id, unit_id, block) select ?, id, 'Xã' from unit where code like 'xa-them-%' order by code`,
      [campaignId],
    );
    await sql(`insert into unit (code, name, kind, parent_id, created_at)
               values ('dac-khu-thu', 'Đặc khu Thử', 'xã', (select parent_id from unit where code = 'xa-truc-thanh'), now())`);
    await sql(
      `insert into campaign_unit (campaign_id, unit_id, block) select ?, id, 'Đặc khu' from unit where code = 'dac-khu-thu'`,
      [campaignId],
    );
    const first = (await admin.get(url)).body;
    const second = (await admin.get(paths.council.ranking(code, { page: 2 }))).body;
    expect([...first.matchAll(/<h3 id="block-\d+">([^<]*)<\/h3>/g)].map((m) => m[1])).toEqual([
      'Khối Thị trấn — 3 đơn vị',
      'Khối Xã — 318 đơn vị',
    ]);
    expect([...second.matchAll(/<h3 id="block-\d+">([^<]*)<\/h3>/g)].map((m) => m[1])).toEqual([
      'Khối Xã (tiếp theo)',
      'Khối Đặc khu — 1 đơn vị',
    ]);
    // The chooser leads to the page where each block begins.
    expect(first).toContain(`<a href="${url}#block-2">Xã <span class="muted">(318)</span></a>`);
    expect(first).toContain(`<a href="${url}?page=2#block-3">Đặc khu <span class="muted">(1)</span></a>`);
    // Every unit once, the band counts the whole block's on both pages.
    const xa1 = rowsOf(tableOf(first, 'preliminary-ranking-2'));
    const xa2 = rowsOf(tableOf(second, 'preliminary-ranking-2'));
    expect(xa1).toHaveLength(247);
    expect(new Set([...xa1, ...xa2]).size).toBe(318);
    expect(rowsOf(tableOf(second, 'preliminary-ranking-3'))).toEqual(['dac-khu-thu']);
    expect(bandsOf(second, 'block-2')['not-submitted']).toBe(315);
    expect(bandsOf(first, 'block-2')).toEqual(bandsOf(second, 'block-2'));
    expect(second).toContain('Trang 2 / 2: dòng 251–322 trong 322.');
  });
});
