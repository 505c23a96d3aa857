import type { Browser as Chromium, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../src/features/demo/seed.ts';
import { paths } from '../../src/http/paths.ts';
import { Browser, type TestApp } from '../helpers/app.ts';
import { startAppraisalApp } from '../helpers/appraisal.ts';
import { launchChromium, screenshot } from '../helpers/browser.ts';

// What an accessibility walk found on phones, checked in Chromium as drawn: row actions ("Sửa", "Gỡ", "↑ ↓") are
// 44 px tap targets and a criteria set that can still change fits 360 px; tags read as states, not buttons; a locked
// self-assessment's disabled radios, boxes and labels stay legible (4.5:1 text, 3:1 controls).

let t: TestApp;
let base: string;
let chromium: Chromium;
let freeSet: number;
let code: string;

beforeAll(async () => {
  ({ t, code } = await startAppraisalApp());
  // A criteria set no campaign uses, so its rows carry their actions; codes as deep as real sets have them.
  const admin = await Browser.signedIn(t.app, 'admin');
  const created = await admin.submit(paths.admin.newCriteriaSet(), paths.admin.criteriaSets(), {
    name: 'Bộ tiêu chí nháp 2027',
    year: '2027',
    decision: '',
  });
  freeSet = Number(/\/admin\/criteria-sets\/(\d+)/.exec(String(created.headers.location))![1]);
  for (const [c, max] of [
    ['1', '0'],
    ['1.1', '0'],
    ['1.1.1', '1'],
    ['1.1.2', '2'],
  ]) {
    const res = await admin.submit(paths.admin.newCriterion(freeSet), paths.admin.criteria(freeSet), {
      code: c,
      title: 'Ban hành kế hoạch cải cách hành chính năm của Ủy ban nhân dân xã đúng thời hạn',
      guidance: '',
      kind: 'self',
      minScore: '0',
      maxScore: max,
      evidenceRequired: 'on',
    });
    expect(res.statusCode, c).toBe(303);
  }
  // Xã Trực Thanh has submitted (its form is locked); one of its criteria was marked "Không áp dụng".
  await t.orm.em.fork().execute(
    `update criterion_score cs set not_applicable = true, self_score = null from criterion c, self_assessment sa, unit u
        where c.id = cs.criterion_id and sa.id = cs.self_assessment_id and u.id = sa.unit_id
          and u.code = 'xa-truc-thanh' and c.code = '1.1.2'`,
  );
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  chromium = await launchChromium();
}, 120_000);
afterAll(async () => {
  await chromium?.close();
  await t?.close();
});

async function signedIn(username: string, width: number): Promise<Page> {
  const page = await chromium.newPage({ viewport: { width, height: 740 } });
  await page.goto(`${base}${paths.signIn()}`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(demoPassword);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((u) => u.pathname !== paths.signIn());
  return page;
}

type Rgb = [number, number, number, number];
const rgba = (css: string): Rgb => {
  const [r, g, b, a = 1] = (/rgba?\(([^)]+)\)/.exec(css)?.[1] ?? '0,0,0,0').split(/[ ,/]+/).map(Number);
  return [r!, g!, b!, a];
};
const luminance = ([r, g, b]: Rgb) => {
  const lin = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
};
/** The contrast ratio of two opaque colours. */
const contrast = (a: string, b: string) => {
  const [x, y] = [luminance(rgba(a)), luminance(rgba(b))].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
};

/** Each element's box, colours, the nearest opaque background and the product of its ancestors' opacity. */
async function looks(page: Page, selector: string) {
  return page.locator(selector).evaluateAll((els) =>
    els.map((el) => {
      const s = getComputedStyle(el);
      let bg = 'rgb(255, 255, 255)';
      let opacity = 1;
      for (let n: Element | null = el; n; n = n.parentElement) {
        const ns = getComputedStyle(n);
        opacity *= Number(ns.opacity);
        if (bg === 'rgb(255, 255, 255)' && n !== el && !/rgba\(0, 0, 0, 0\)|transparent/.test(ns.backgroundColor))
          bg = ns.backgroundColor;
      }
      const box = el.getBoundingClientRect();
      return {
        text: (el.textContent ?? '').trim().slice(0, 40),
        height: box.height,
        width: box.width,
        color: s.color,
        background: s.backgroundColor,
        parentBackground: bg,
        borderWidth: parseFloat(s.borderTopWidth),
        borderColor: s.borderTopColor,
        borderRadius: parseFloat(s.borderTopLeftRadius),
        fontSize: parseFloat(s.fontSize),
        opacity,
      };
    }),
  );
}

const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('on a phone', () => {
  it('a criteria set that can change fits 360 px, and its row actions are 44 px tap targets', async () => {
    for (const width of [360, 390]) {
      const page = await signedIn('admin', width);
      await page.goto(`${base}${paths.admin.criteriaSet(freeSet)}`);
      expect(await overflow(page), `${width} px`).toBeLessThanOrEqual(0);
      const actions = await looks(page, '.row-actions a, .row-actions button');
      expect(actions.length).toBeGreaterThanOrEqual(4 * 4);
      for (const a of actions) expect(a.height, `${a.text} at ${width} px`).toBeGreaterThanOrEqual(44);
      if (width === 360) await screenshot(page, 'phone-polish', 'criteria-set-360.png', 360);
      await page.close();
    }
  });

  it("the units' and agencies' edit links and a user's role removal are 44 px tall", async () => {
    const page = await signedIn('admin', 390);
    for (const url of [paths.admin.register('units'), paths.admin.register('agencies'), paths.admin.user('canbo')]) {
      await page.goto(`${base}${url}`);
      const actions = await looks(page, '.table .row-actions a, .table .row-actions button');
      expect(actions.length, url).toBeGreaterThan(0);
      for (const a of actions) expect(a.height, `${a.text} on ${url}`).toBeGreaterThanOrEqual(44);
      expect(await overflow(page), url).toBeLessThanOrEqual(0);
    }
    await screenshot(page, 'phone-polish', 'user-roles-390.png');
    await page.close();
  });

  it('tags are soft pills, not boxes: no border, rounded, a background, smaller text, AA contrast', async () => {
    const page = await signedIn('admin', 390);
    await page.goto(`${base}${paths.admin.criteriaSet(freeSet)}`);
    const tags = await looks(page, '.tag');
    expect(tags.length).toBeGreaterThan(0);
    for (const tag of tags) {
      expect(tag.borderWidth, tag.text).toBe(0);
      expect(tag.borderRadius, tag.text).toBeGreaterThan(4);
      expect(rgba(tag.background)[3], tag.text).toBe(1);
      expect(tag.fontSize, tag.text).toBeLessThan(16);
      expect(contrast(tag.color, tag.background), tag.text).toBeGreaterThanOrEqual(4.5);
    }
    await page.close();
  });

  it("a locked self-assessment's disabled radios, boxes and labels stay legible", async () => {
    const page = await signedIn('canbo', 390);
    await page.goto(`${base}${paths.unit.criteria('xa-truc-thanh', code, { field: '1' })}`);
    const labels = await looks(page, 'fieldset:disabled label, .is-na .na-off');
    expect(labels.length).toBeGreaterThan(10);
    for (const l of labels) {
      expect(l.opacity, l.text).toBe(1);
      expect(contrast(l.color, l.parentBackground), l.text).toBeGreaterThanOrEqual(4.5);
    }
    const controls = await looks(page, 'input[type="radio"]:disabled, input[type="checkbox"]:disabled');
    expect(controls.length).toBeGreaterThan(3);
    for (const c of controls) {
      expect(c.opacity).toBe(1);
      expect(c.width).toBeGreaterThanOrEqual(24);
      expect(contrast(c.borderColor, c.parentBackground)).toBeGreaterThanOrEqual(3);
    }
    // The box ticked "Không áp dụng" shows as ticked: filled, unlike an empty box.
    const ticked = await looks(page, 'input[data-not-applicable]:checked');
    expect(ticked).toHaveLength(1);
    expect(contrast(ticked[0]!.background, ticked[0]!.parentBackground)).toBeGreaterThanOrEqual(3);
    await screenshot(page, 'phone-polish', 'locked-criteria-390.png');
    await page.close();
  });
});
