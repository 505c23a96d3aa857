import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, formatDate, todayInVietnam } from '../../src/domain/dates.ts';
import { paths } from '../../src/http/paths.ts';
import { Browser, type TestApp } from '../helpers/app.ts';
import { startAppraisalApp, submitUnitBySql } from '../helpers/appraisal.ts';

// Issue 23, items 3 and 5: co-appraisal (the Văn phòng HĐND-UBND co-appraises 7.4 in the demo, as seed 002 has it;
// the Phòng Văn hóa và Thông tin leads field 7) and the appraisal window (shown with its days left, decisions outside
// it refused unless the secretariat extended it for the agency or the unit; the publication date for chair and
// secretariat). Through the real routes and PostgreSQL.

let t: TestApp;
let code: string;
let campaignId: number;
const today = todayInVietnam();

const sql = <T = Record<string, any>>(text: string, params: unknown[] = []) =>
  t.orm.em.fork().execute<T[]>(text, params);
const signedIn = (username: string) => Browser.signedIn(t.app, username);
const itemOf = async (unit: string, criterion: string) =>
  (
    await sql<{ id: number; version: number; state: string }>(
      `select a.id, a.version, a.state from appraisal a join criterion_score cs on cs.id = a.criterion_score_id join criterion c on c.id = cs.criterion_id
         join self_assessment sa on sa.id = cs.self_assessment_id join unit u on u.id = sa.unit_id where u.code = ? and c.code = ?`,
      [unit, criterion],
    )
  )[0]!;
const auditCount = async (action: string) =>
  (await sql<{ n: number }>('select count(*)::int as n from audit_event where action = ?', [action]))[0]!.n;
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
const setWindow = (opens: string | null, closes: string | null) =>
  sql('update campaign set appraisal_opens = ?, appraisal_closes = ? where id = ?', [opens, closes, campaignId]);

async function decide(b: Browser, unit: string, criterion: string) {
  const item = await itemOf(unit, criterion);
  const page = paths.appraisal.item(item.id);
  return b.submit(page, page, { action: 'accept', version: String(item.version) });
}

beforeAll(async () => {
  ({ t, code } = await startAppraisalApp());
  await submitUnitBySql(t.orm, 'thi-tran-co-le', 0.5);
  [{ id: campaignId }] = await sql<{ id: number }>('select id from campaign where code = ?', [code]);
  await setWindow(addDays(today, -1), addDays(today, 3));
});
afterAll(async () => {
  await t.close();
});

describe('co-appraisal', () => {
  it('shows the item to the co-appraiser, who cannot decide it (403, nothing written); others do not find it', async () => {
    const vanphong = await signedIn('thamdinh-vanphong');
    const item = await itemOf('xa-truc-thanh', '7.4');
    const page = await vanphong.get(paths.appraisal.item(item.id));
    expect(page.statusCode).toBe(200);
    const words = text(page.body);
    expect(words).toContain('Cơ quan chủ trì thẩm định: Phòng Văn hóa và Thông tin');
    expect(words).toContain('Ý kiến của cơ quan phối hợp');
    expect(page.body).not.toContain('value="accept"');
    const res = await vanphong.submit(paths.appraisal.item(item.id), paths.appraisal.item(item.id), {
      action: 'accept',
      version: String(item.version),
    });
    expect(res.statusCode).toBe(403);
    expect(text(res.body)).toContain('Cơ quan của bạn chỉ phối hợp thẩm định tiêu chí này');
    expect((await itemOf('xa-truc-thanh', '7.4')).state).toBe('todo');
    // The Phòng Nội vụ neither leads nor co-appraises 7.4.
    expect((await (await signedIn('thamdinh')).get(paths.appraisal.item(item.id))).statusCode).toBe(404);
  });

  it('refuses an empty or wrong opinion beside its fields, keeping what was typed and writing nothing', async () => {
    const vanphong = await signedIn('thamdinh-vanphong');
    const item = await itemOf('xa-truc-thanh', '7.4');
    const page = paths.appraisal.item(item.id);
    const empty = await vanphong.submit(page, paths.appraisal.opinions(item.id), {
      stance: '',
      score: '',
      reason: '  ',
    });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('Chọn đồng ý hoặc không đồng ý với điểm tự chấm.');
    expect(empty.body).toContain('Nhập lý do, căn cứ cho ý kiến.');
    expect(empty.body).toContain('href="#a-stance"');
    const noScore = await vanphong.submit(page, paths.appraisal.opinions(item.id), {
      stance: 'disagree',
      score: '',
      reason: 'Thiếu văn bản gửi qua trục liên thông',
    });
    expect(noScore.statusCode).toBe(422);
    expect(noScore.body).toContain('Khi không đồng ý, nhập điểm đề xuất.');
    expect(noScore.body).toContain('Thiếu văn bản gửi qua trục liên thông');
    const outside = await vanphong.submit(page, paths.appraisal.opinions(item.id), {
      stance: 'disagree',
      score: '1,5',
      reason: 'Lý do',
    });
    expect(outside.statusCode).toBe(422);
    expect(outside.body).toContain('Điểm đề xuất phải nằm trong thang điểm của tiêu chí.');
    expect(outside.body).toContain('value="1,5"');
    expect((await sql('select id from appraisal_opinion')).length).toBe(0);
  });

  it('lists the item under "waiting for my opinion" until the co-appraiser gives it; the lead cannot give one', async () => {
    const vanphong = await signedIn('thamdinh-vanphong');
    const item = await itemOf('xa-truc-thanh', '7.4');
    const waiting = await vanphong.get(paths.appraisal.queue({ campaign: code, opinion: '1' }));
    expect(waiting.statusCode).toBe(200);
    expect(waiting.body).toContain('Chờ ý kiến của tôi');
    expect(waiting.body).toContain(`/appraisal/items/${item.id}?`);
    // Only the co-appraised item: not the Văn phòng's own field 3, which it leads.
    const own = await itemOf('xa-truc-thanh', '3.1.1');
    expect(waiting.body).not.toContain(`/appraisal/items/${own.id}?`);
    expect((await vanphong.get(paths.appraisal.queue({ campaign: code }))).body).toContain(
      `/appraisal/items/${own.id}?`,
    );
    const vanhoa = await signedIn('thamdinh-vanhoa');
    const byLead = await vanhoa.submit(paths.appraisal.item(item.id), paths.appraisal.opinions(item.id), {
      stance: 'agree',
      score: '',
      reason: 'Đồng ý',
    });
    expect(byLead.statusCode).toBe(403);
    const res = await vanphong.submit(paths.appraisal.item(item.id), paths.appraisal.opinions(item.id), {
      stance: 'disagree',
      score: '0,5',
      reason: 'Một nửa số văn bản gửi đi vẫn là bản giấy.',
    });
    expect(res.statusCode).toBe(303);
    expect(await auditCount('appraisal.opinion-added')).toBe(1);
    const after = await vanphong.get(paths.appraisal.queue({ campaign: code, opinion: '1' }));
    expect(after.body).not.toContain(`/appraisal/items/${item.id}?`);
    // Thị trấn Cổ Lễ's 7.4 still waits.
    const other = await itemOf('thi-tran-co-le', '7.4');
    expect(after.body).toContain(`/appraisal/items/${other.id}?`);
  });

  it('shows the lead every opinion with agency, person and date, and how many are in; the lead decides', async () => {
    const vanhoa = await signedIn('thamdinh-vanhoa');
    const item = await itemOf('xa-truc-thanh', '7.4');
    const words = text((await vanhoa.get(paths.appraisal.item(item.id))).body);
    expect(words).toContain('Ý kiến phối hợp thẩm định (1 ý kiến / 1 cơ quan phối hợp)');
    expect(words).toContain('Không đồng ý · đề xuất 0,5 điểm');
    expect(words).toContain('Một nửa số văn bản gửi đi vẫn là bản giấy.');
    expect(words).toContain(`Văn phòng HĐND-UBND · Trịnh Thị Mai · `);
    expect(words).toMatch(new RegExp(`Trịnh Thị Mai · \\d\\d:\\d\\d ${formatDate(today).replace(/\//g, '\\/')}`));
    // The count describes the item: it stands with the criterion, not among the warnings.
    const queue = (await vanhoa.get(paths.appraisal.queue({ campaign: code, field: '7' }))).body;
    const criterionCell = new RegExp(
      `<td data-label="Tiêu chí"><a href="/appraisal/items/${item.id}\\?[\\s\\S]*?</td>`,
    );
    expect(text(criterionCell.exec(queue)![0])).toContain('1/1 ý kiến phối hợp');
    expect((await decide(vanhoa, 'xa-truc-thanh', '7.4')).statusCode).toBe(303);
    expect((await itemOf('xa-truc-thanh', '7.4')).state).toBe('accepted');
  });

  it('lets the secretariat set co-appraising agencies on a criterion, never the lead agency itself, audited', async () => {
    const admin = await signedIn('admin');
    const [c] = await sql<{ id: number; set: number }>(
      `select c.id, c.criteria_set_id as set from criterion c join campaign k on k.criteria_set_id = c.criteria_set_id where k.id = ? and c.code = '7.3'`,
      [campaignId],
    );
    const [vanhoa] = await sql<{ id: number }>(`select id from agency where code = 'van-hoa-thong-tin'`);
    const [tuphap] = await sql<{ id: number }>(`select id from agency where code = 'tu-phap'`);
    const edit = paths.admin.criterionEdit(c!.set, c!.id);
    expect(text((await admin.get(edit)).body)).toContain('Cơ quan phối hợp thẩm định');
    const refusedLead = await admin.submit(edit, paths.admin.criterionCoAgencies(c!.set, c!.id), {
      agency: String(vanhoa!.id),
    });
    expect(refusedLead.statusCode).toBe(422);
    expect(refusedLead.body).toContain('Cơ quan chủ trì thẩm định không thể đồng thời là cơ quan phối hợp.');
    const saved = await admin.submit(edit, paths.admin.criterionCoAgencies(c!.set, c!.id), {
      agency: String(tuphap!.id),
    });
    expect(saved.statusCode).toBe(303);
    expect((await sql('select 1 from criterion_co_agency where criterion_id = ?', [c!.id])).length).toBe(1);
    expect(await auditCount('criterion.co-agencies-set')).toBe(1);
    // The Tư pháp appraiser now sees 7.3 and gives an opinion on it.
    const item = await itemOf('xa-truc-thanh', '7.3');
    expect((await (await signedIn('thamdinh-tuphap')).get(paths.appraisal.item(item.id))).statusCode).toBe(200);
  });
});

describe('the appraisal window', () => {
  it('is shown on the appraiser pages with the days left', async () => {
    const thamdinh = await signedIn('thamdinh');
    const item = await itemOf('xa-truc-thanh', '1.1.1');
    const shown = `Thời hạn thẩm định: ${formatDate(addDays(today, -1))} – ${formatDate(addDays(today, 3))} · còn 3 ngày`;
    expect(text((await thamdinh.get(paths.appraisal.index())).body)).toContain(shown);
    expect(text((await thamdinh.get(paths.appraisal.queue({ campaign: code }))).body)).toContain(shown);
    expect(text((await thamdinh.get(paths.appraisal.item(item.id))).body)).toContain(shown);
  });

  it('refuses a decision before the window opens, with a clear message', async () => {
    await setWindow(addDays(today, 1), addDays(today, 5));
    try {
      const thamdinh = await signedIn('thamdinh');
      expect(text((await thamdinh.get(paths.appraisal.index())).body)).toContain(
        `chưa mở: mở từ ngày ${formatDate(addDays(today, 1))} (còn 1 ngày)`,
      );
      const res = await decide(thamdinh, 'xa-truc-thanh', '1.1.1');
      expect(res.statusCode).toBe(409);
      expect(text(res.body)).toContain(`Chưa đến thời hạn thẩm định (mở từ ngày ${formatDate(addDays(today, 1))})`);
      expect((await itemOf('xa-truc-thanh', '1.1.1')).state).toBe('todo');
    } finally {
      await setWindow(addDays(today, -1), addDays(today, 3));
    }
  });

  it('refuses decisions after the close, then allows them after an extension for that agency, not for another', async () => {
    await setWindow(addDays(today, -5), addDays(today, -1));
    const thamdinh = await signedIn('thamdinh');
    const vanhoa = await signedIn('thamdinh-vanhoa');
    const closed = await decide(thamdinh, 'xa-truc-thanh', '1.1.1');
    expect(closed.statusCode).toBe(409);
    expect(text(closed.body)).toContain(
      `Đã hết thời hạn thẩm định (ngày ${formatDate(addDays(today, -1))}): không ghi được quyết định.`,
    );
    expect(text((await thamdinh.get(paths.appraisal.queue({ campaign: code }))).body)).toContain(
      'đã hết hạn: không ghi được quyết định thẩm định nữa',
    );
    const admin = await signedIn('admin');
    const show = paths.admin.campaign(code);
    const url = paths.admin.appraisalExtensions(code);
    // The form's errors beside its fields, the typed values kept.
    const empty = await admin.submit(show, url, { target: '', closes: '31/02/2026', reason: '' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('Chọn cơ quan thẩm định hoặc đơn vị được gia hạn.');
    expect(empty.body).toContain('Ngày này không có trong lịch.');
    expect(empty.body).toContain('Nhập lý do gia hạn.');
    expect(empty.body).toContain('href="#ext-target"');
    expect(empty.body).toContain('value="31/02/2026"');
    const [noiVu] = await sql<{ id: number }>(`select id from agency where code = 'noi-vu'`);
    const early = await admin.submit(show, url, {
      target: `agency:${noiVu!.id}`,
      closes: formatDate(addDays(today, -2)),
      reason: 'Chậm',
    });
    expect(early.statusCode).toBe(422);
    expect(early.body).toContain(`Ngày gia hạn phải sau ngày kết thúc thẩm định (${formatDate(addDays(today, -1))}).`);
    expect(await auditCount('appraisal.window-extended')).toBe(0);
    const granted = await admin.submit(show, url, {
      target: `agency:${noiVu!.id}`,
      closes: formatDate(addDays(today, 2)),
      reason: 'Phòng Nội vụ thiếu người do tập huấn',
    });
    expect(granted.statusCode).toBe(303);
    expect(text((await admin.get(show)).body)).toContain(
      `Gia hạn thẩm định cho Phòng Nội vụ đến ${formatDate(addDays(today, 2))} — Phòng Nội vụ thiếu người do tập huấn`,
    );
    // The Nội vụ appraisers see it and decide; the Văn hóa agency, not extended, still cannot.
    const words = text((await thamdinh.get(paths.appraisal.queue({ campaign: code }))).body);
    expect(words).toContain(`được gia hạn đến ${formatDate(addDays(today, 2))}, còn 2 ngày`);
    expect((await decide(thamdinh, 'xa-truc-thanh', '1.1.1')).statusCode).toBe(303);
    expect((await decide(vanhoa, 'xa-truc-thanh', '7.1')).statusCode).toBe(409);
    expect(text((await vanhoa.get(paths.appraisal.index())).body)).not.toContain('Gia hạn thẩm định cho Phòng Nội vụ');
  });

  it('extends for one unit: every agency decides on that unit, not on another; both extensions audited', async () => {
    const admin = await signedIn('admin');
    const [unit] = await sql<{ id: number }>(`select id from unit where code = 'thi-tran-co-le'`);
    const res = await admin.submit(paths.admin.campaign(code), paths.admin.appraisalExtensions(code), {
      target: `unit:${unit!.id}`,
      closes: formatDate(addDays(today, 1)),
      reason: 'Thị trấn bổ sung hồ sơ muộn theo đề nghị của Tổ thư ký',
    });
    expect(res.statusCode).toBe(303);
    const vanhoa = await signedIn('thamdinh-vanhoa');
    expect((await decide(vanhoa, 'thi-tran-co-le', '7.1')).statusCode).toBe(303);
    expect((await decide(vanhoa, 'xa-truc-thanh', '7.1')).statusCode).toBe(409);
    const other = await itemOf('thi-tran-co-le', '7.2');
    expect(text((await vanhoa.get(paths.appraisal.item(other.id))).body)).toContain(
      `được gia hạn đến ${formatDate(addDays(today, 1))}, còn 1 ngày`,
    );
    const rows = await sql<{ after: any; reason: string; actor: string }>(
      `select e.after, e.reason, u.username as actor from audit_event e join app_user u on u.id = e.actor_id
        where e.action = 'appraisal.window-extended' order by e.id`,
    );
    expect(rows.map((r) => [r.actor, r.after.name, r.after.closes])).toEqual([
      ['admin', 'Phòng Nội vụ', addDays(today, 2)],
      ['admin', 'Thị trấn Cổ Lễ', addDays(today, 1)],
    ]);
    await setWindow(addDays(today, -1), addDays(today, 3));
  });

  it('shows the publication date with its days left to the secretariat and the chair', async () => {
    await sql('update campaign set publish_by = ? where id = ?', [addDays(today, 12), campaignId]);
    const shown = `Hạn công bố kết quả: ${formatDate(addDays(today, 12))} · còn 12 ngày`;
    expect(text((await (await signedIn('admin')).get(paths.admin.campaign(code))).body)).toContain(shown);
    expect(text((await (await signedIn('chutich')).get(paths.council.campaign(code))).body)).toContain(shown);
  });
});
