import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, csrfToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { setCampaignState, submitUnitBySql } from '../helpers/appraisal.ts';
import { paths } from '../../src/http/paths.ts';
import { formatDate, todayInVietnam } from '../../src/domain/dates.ts';

/** Today in Vietnam, as typed: a decision may not be dated later. */
const today = formatDate(todayInVietnam());

let t: TestApp;
let code: string;
beforeAll(async () => {
  t = await startTestApp();
  [{ code }] = await sql<{ code: string }>('select code from campaign limit 1');
  await submitUnitBySql(t.orm, 'xa-truc-thanh');
  await submitUnitBySql(t.orm, 'thi-tran-co-le', 0.5);
  await sql(
    `update appraisal set state = 'accepted', appraised_score = cs.self_score from criterion_score cs where cs.id = appraisal.criterion_score_id`,
  );
  await setCampaignState(t.orm, 'council-review');
});
afterAll(async () => {
  await t.close();
});

const sql = <T = Record<string, any>>(text: string, params: unknown[] = []) =>
  t.orm.em.fork().execute<T[]>(text, params);

const signedIn = (username: string) => Browser.signedIn(t.app, username);

async function post(b: Browser, page: string, url: string, form: Record<string, string>) {
  const html = (await b.get(page)).body;
  return b.request('POST', url, { form: { _csrf: csrfToken(html), ...form } });
}

describe('approval and publication', () => {
  it('cannot be published before the chair approves, and only the chair approves', async () => {
    const admin = await signedIn('admin');
    const early = await post(admin, paths.admin.campaign(code), paths.admin.campaignPublications(code), {});
    expect(early.statusCode).toBe(422);
    expect(early.body).toContain('phải được Chủ tịch phê duyệt');
    expect(
      (
        await post(admin, paths.council.campaign(code), paths.council.approval(code), {
          decision: '1/QĐ-UBND',
          decisionDate: today,
          confirm: 'yes',
        })
      ).statusCode,
    ).toBe(404);
    expect((await sql('select count(*)::int as n from publication'))[0].n).toBe(0);
  });

  it("the chair approves with the decision's number and date, each required", async () => {
    const chair = await signedIn('chutich');
    const missing = await post(chair, paths.council.campaign(code), paths.council.approval(code), {
      decision: '',
      decisionDate: '32/01/2027',
    });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('Ngày phải có dạng dd/mm/yyyy');
    const res = await post(chair, paths.council.campaign(code), paths.council.approval(code), {
      decision: '15/QĐ-UBND',
      decisionDate: today,
      confirm: 'yes',
    });
    expect(res.statusCode).toBe(303);
    const [c] = await sql(
      `select state, approval_decision, to_char(approval_date, 'DD/MM/YYYY') as d from campaign where code = ?`,
      [code],
    );
    expect([c.state, c.approval_decision, c.d]).toEqual(['approved', '15/QĐ-UBND', today]);
    expect((await chair.get(paths.council.campaign(code))).body).toContain(
      `Đã phê duyệt theo Quyết định số 15/QĐ-UBND ngày ${today}`,
    );
  });

  it("publishing freezes version 1: the scoring core's results, the exact bytes and their hashes, a row per unit", async () => {
    const admin = await signedIn('admin');
    const res = await post(admin, paths.admin.campaign(code), paths.admin.campaignPublications(code), {
      confirm: 'yes',
    });
    expect(res.statusCode).toBe(303);
    const [p] = await sql(
      `select version, decision_number, sha256, results_json, results_csv, csv_sha256, previous_sha256 from publication`,
    );
    expect([p.version, p.decision_number, p.previous_sha256]).toEqual([1, '15/QĐ-UBND', null]);
    expect(createHash('sha256').update(p.results_json).digest('hex')).toBe(p.sha256);
    expect(createHash('sha256').update(p.results_csv).digest('hex')).toBe(p.csv_sha256);
    const doc = JSON.parse(p.results_json);
    expect(doc.version).toBe(1);
    const [{ n: units }] = await sql('select count(*)::int as n from campaign_unit');
    expect(doc.units).toHaveLength(units);
    expect((await sql('select count(*)::int as n from published_result'))[0].n).toBe(units);
    const first = doc.units[0];
    expect(first.code).toBe('xa-truc-thanh');
    // Self-kind leaves at their maximum, appraiser-kind ones not scored (0), of an applicable maximum of 70: the points are the component.
    const [{ points }] = await sql(
      `select sum(max_score)::text as points from criterion c where kind = 'self' and not exists (select 1 from criterion k where k.parent_id = c.id)`,
    );
    expect(first.points).toBe(Number(points));
    expect(first.components.appraisal).toBe(Number(points));
    expect((await sql(`select state from campaign where code = ?`, [code]))[0].state).toBe('published');
    expect((await admin.get(paths.admin.campaign(code))).body).toContain(p.sha256);
  });

  it('a correction is a new version with its reason, chained to the previous hash; the old one stays', async () => {
    const admin = await signedIn('admin');
    const noGround = await post(admin, paths.admin.campaign(code), paths.admin.campaignCorrections(code), {
      unit: 'thi-tran-co-le',
      criterion: '1.1.1',
      score: '0',
      reason: '',
    });
    expect(noGround.statusCode).toBe(422);
    expect(noGround.body).toContain('Nhập lý do đính chính');
    const tooHigh = await post(admin, paths.admin.campaign(code), paths.admin.campaignCorrections(code), {
      unit: 'thi-tran-co-le',
      criterion: '1.1.1',
      score: '99',
      reason: 'x',
    });
    expect(tooHigh.statusCode).toBe(422);
    // 1.1.1 is scored by levels (0,5; 0,25; 0) and 1.1.2 by ratio thresholds (1; 0,5; 0): no score in between.
    const offLevel = await post(admin, paths.admin.campaign(code), paths.admin.campaignCorrections(code), {
      unit: 'thi-tran-co-le',
      criterion: '1.1.1',
      score: '0.3',
      reason: 'x',
    });
    expect(offLevel.statusCode).toBe(422);
    expect(offLevel.body).toContain('Theo cách tính của tiêu chí, điểm chỉ có thể là: 0,5; 0,25; 0.');
    const offThreshold = await post(admin, paths.admin.campaign(code), paths.admin.campaignCorrections(code), {
      unit: 'thi-tran-co-le',
      criterion: '1.1.2',
      score: '0.75',
      reason: 'x',
    });
    expect(offThreshold.statusCode).toBe(422);
    expect(offThreshold.body).toContain('điểm chỉ có thể là: 1; 0,5; 0.');
    expect(await sql(`select 1 from audit_event where action = 'appraisal.corrected'`)).toEqual([]);
    const corrected = await post(admin, paths.admin.campaign(code), paths.admin.campaignCorrections(code), {
      unit: 'thi-tran-co-le',
      criterion: '1.1.1',
      score: '0',
      reason: 'Kết luận kiểm tra số 3/KL-NV',
      confirm: 'yes',
    });
    expect(corrected.statusCode).toBe(303);
    const [audit] = await sql(`select reason, after from audit_event where action = 'appraisal.corrected'`);
    expect(audit.reason).toBe('Kết luận kiểm tra số 3/KL-NV');
    const noReason = await post(admin, paths.admin.campaign(code), paths.admin.campaignPublications(code), {
      correctionReason: ' ',
    });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.body).toContain('Nhập lý do đính chính');
    const res = await post(admin, paths.admin.campaign(code), paths.admin.campaignPublications(code), {
      correctionReason: 'Sửa điểm tiêu chí 1.1 của Thị trấn Cổ Lễ theo kết luận kiểm tra',
      confirm: 'yes',
    });
    expect(res.statusCode).toBe(303);
    const versions = await sql(
      `select version, sha256, previous_sha256, correction_reason from publication order by version`,
    );
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[1].previous_sha256).toBe(versions[0].sha256);
    expect(versions[1].correction_reason).toContain('Thị trấn Cổ Lễ');
    const [v1, v2] = (await sql(`select results_json from publication order by version`)).map((r) =>
      JSON.parse(r.results_json),
    );
    const coLe = (doc: { units: { code: string; points: number }[] }) =>
      doc.units.find((u) => u.code === 'thi-tran-co-le')!.points;
    expect(coLe(v2)).toBeLessThan(coLe(v1));
  });

  it("nothing published can be changed or removed, even by SQL: not by the app's role, not by the owner", async () => {
    const changes = [
      `update publication set results_json = '{}'`,
      `update published_result set index = 100`,
      `delete from published_result`,
      `delete from publication`,
    ];
    // The app's connection has no such privilege at all.
    for (const change of changes) await expect(sql(change)).rejects.toThrow(/permission denied/);
    // The owner has, and the guard triggers refuse it.
    const owner = new pg.Client({ connectionString: t.databaseUrl });
    await owner.connect();
    try {
      for (const change of changes) await expect(owner.query(change)).rejects.toThrow(/append-only/);
    } finally {
      await owner.end();
    }
  });

  it('no route can change it either: every admin POST leaves the publications as they were', async () => {
    const before = await sql('select id, sha256 from publication order by id');
    const admin = await signedIn('admin');
    const page = await admin.get(paths.admin.campaign(code));
    for (const route of t.app.routeTable.filter((r) => r.method === 'POST' && !r.url.endsWith('/publications'))) {
      const url = route.url.replace(':code', code).replace(/:(\w+)/g, '1');
      await admin.request('POST', url, {
        form: { _csrf: csrfToken(page.body), score: '0', reason: 'x', state: 'draft', to: 'draft' },
      });
    }
    expect(await sql('select id, sha256 from publication order by id')).toEqual(before);
  });
});
