import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishCampaign } from '../../src/features/publication/publish.ts';
import { createPracticeCampaign } from '../../src/features/practice.ts';
import { importWorkbook } from '../../src/features/workbook/index.ts';
import { Browser, csrfToken, type TestApp } from '../helpers/app.ts';
import { startAppraisalApp } from '../helpers/appraisal.ts';
import { pdfBytes } from '../helpers/evidence.ts';
import { makeCert } from '../helpers/signing.ts';
import { buildWorkbook, validSheets } from '../helpers/workbook.ts';
import { setSequence } from '../helpers/db.ts';

// Every route of the app × every kind of person, generated from the route table: a new route cannot be forgotten.
// Each route's area decides who may reach it at all; inside the unit area the unit in the address decides. Whoever
// may reach a route also gets in: every GET answers a page (or a redirect that is not the sign-in), and every POST
// passes the guard (a 422 for the empty form is fine; a 403 or 404 is not). So the addresses name real records: the
// demo's campaign in appraisal, an item with its evidence file and a request for explanation, a published campaign.

let t: TestApp;
let params: Record<string, string>;
/** The published campaign's parameters, for the public pages. */
let published: Record<string, string>;
let grantId: string;
/** A council member's row (issue 23), for the secretariat's removal of one. */
let councilMemberId: string;
/** A practice campaign (Tập huấn) copied from the demo's, for its preview page. */
let practiceCode: string;
/** Each person's own notice, by username. */
let notices: Record<string, string> = {};
/** A trusted certificate, for the secretariat's removal of one (issue 19). */
let anchorId: string;
/** Each unit person's resumable upload under way, by username. */
let uploadIds: Record<string, string> = {};
beforeAll(async () => {
  let code: string, itemId: number, criterionId: number;
  ({ t, code, itemId, criterionId } = await startAppraisalApp());
  const sql = <T = Record<string, any>>(text: string, values: unknown[] = []) =>
    t.orm.em.fork().execute<T[]>(text, values);
  // The contributor is given criterion 1.1.1, so that its pages are theirs too.
  const [score] = await sql<{ id: number }>(
    `select cs.id from criterion_score cs join criterion c on c.id = cs.criterion_id join self_assessment sa on sa.id = cs.self_assessment_id
       join unit u on u.id = sa.unit_id where u.code = 'xa-truc-thanh' and c.code = '1.1.1'`,
  );
  await sql(
    `insert into criterion_assignment (criterion_score_id, user_id) select ?, id from app_user where username = 'congtac'`,
    [score.id],
  );
  // An evidence file of that criterion, stored, and a request for explanation about the item, still open.
  const pdf = await pdfBytes();
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  const temp = await t.app.evidenceStore.tempPath();
  await writeFile(temp, pdf);
  await t.app.evidenceStore.put(temp, sha256);
  // Its id far from any item's, so that an address naming the wrong one cannot pass by chance.
  await setSequence(t.databaseUrl, 'evidence_file_id_seq', 900);
  const [file] = await sql<{ id: number }>(
    `insert into evidence_file (criterion_score_id, sha256, size, media_type, original_name, uploaded_by_id, uploaded_at)
     values (?, ?, ?, 'application/pdf', 'ke-hoach.pdf', (select id from app_user where username = 'canbo'), now()) returning id`,
    [score.id, sha256, pdf.length],
  );
  // A resumable upload of criterion 1.1.1 under way for each person of the unit (tus: HEAD, PATCH, DELETE its address).
  const mine = await sql<{ id: string; username: string }>(
    `insert into evidence_upload (id, user_id, criterion_score_id, length, file_name, expires_at)
     select gen_random_uuid(), u.id, ?, 10, 'a.pdf', now() + interval '1 day' from app_user u
      where u.username in ('canbo', 'chutichxa', 'congtac')
     returning id::text as id, (select username from app_user where id = user_id) as username`,
    [score.id],
  );
  await mkdir(t.app.config.evidenceUploadsDir, { recursive: true });
  for (const u of mine) await writeFile(path.join(t.app.config.evidenceUploadsDir, u.id), '');
  uploadIds = Object.fromEntries(mine.map((u) => [u.username, u.id]));
  const [request] = await sql<{ id: number }>(
    `insert into explanation_request (appraisal_id, message, due_date, requested_by_id, requested_at)
     values (?, 'Bổ sung', current_date + 30, (select id from app_user where username = 'thamdinh'), now()) returning id`,
    [itemId],
  );
  // The campaign lets its agencies record on-site checks; a visit of the Nội vụ (the appraiser's agency) with its
  // minutes and a finding on 1.1.1, so that the visit pages of both areas name a real one.
  await sql('update campaign set onsite_by_agencies = true where code = ?', [code]);
  const [visit] = await sql<{ id: number }>(
    `insert into onsite_visit (campaign_id, unit_id, agency_id, visited_on, members, minutes_sha256, minutes_name, minutes_media_type, minutes_size, recorded_by_id)
     select c.id, u.id, a.id, current_date, 'Đoàn kiểm tra', ?, 'bien-ban.pdf', 'application/pdf', ?, (select id from app_user where username = 'thamdinh')
       from campaign c, unit u, agency a where c.code = ? and u.code = 'xa-truc-thanh' and a.code = 'noi-vu' returning id`,
    [sha256, pdf.length, code],
  );
  await sql(`insert into onsite_finding (visit_id, criterion_id, result) values (?, ?, 'match')`, [
    visit.id,
    criterionId,
  ]);
  // Xã Trực Thanh's signed report (issue 23), for the report readers' and the unit's signed-report addresses.
  await sql(
    `insert into signed_report (self_assessment_id, document_number, document_date, sha256, name, media_type, size, uploaded_by_id)
     select sa.id, '45/BC-UBND', current_date, ?, 'bao-cao.pdf', 'application/pdf', ?, (select id from app_user where username = 'canbo')
       from self_assessment sa join unit u on u.id = sa.unit_id where u.code = 'xa-truc-thanh'`,
    [sha256, pdf.length],
  );
  [{ id: councilMemberId }] = await sql<{ id: string }>(
    `select m.id::text as id from council_member m join app_user u on u.id = m.user_id where u.username = 'uyvien'`,
  );
  [{ id: grantId }] = await sql<{ id: string }>(
    `select r.id::text as id from role_assignment r join app_user u on u.id = r.user_id where u.username = 'canbo'`,
  );
  const root = await makeCert({ cn: 'Access Matrix Root', ca: true });
  [{ id: anchorId }] = await sql<{ id: string }>(
    `insert into trust_anchor (sha256, der, subject, issuer, valid_from, valid_to, ca, added_by_id)
     values (?, decode(?, 'base64'), 'CN=Access Matrix Root', 'CN=Access Matrix Root', now(), now() + interval '1 year', true,
       (select id from app_user where username = 'admin')) returning id::text as id`,
    [createHash('sha256').update(root.der).digest('hex'), root.der.toString('base64')],
  );
  params = {
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
  // A notice for every person, so that opening one's own notice is let in (and nobody else's is found).
  const made = await sql<{ id: string; username: string }>(
    `insert into notice (recipient_id, kind, campaign_id, group_key, params)
     select u.id, 'review', c.id, 'review:' || c.id, jsonb_build_object('campaign', c.code, 'campaignName', c.name)
       from app_user u cross join campaign c where c.code = ?
     returning id::text as id, (select username from app_user where id = recipient_id) as username`,
    [code],
  );
  notices = Object.fromEntries(made.map((n) => [n.username, n.id]));
  // The published campaign's online survey, for its public survey pages and open data.
  const [past] = await sql<{ id: number }>(`select id from campaign where code = 'thu-2024'`);
  await sql('insert into survey_settings (campaign_id) values (?)', [past.id]);
  await sql(`insert into survey_group (campaign_id, position, name) values (?, 1, 'Người dân')`, [past.id]);
  // The online survey: a questionnaire open today and Xã Trực Thanh's form at /ks/matrix1.
  const [campaign] = await sql<{ id: number }>('select id from campaign where code = ?', [code]);
  await sql(
    `insert into survey_settings (campaign_id, opens_on, closes_on) values (?, current_date - 1, current_date + 1)`,
    [campaign.id],
  );
  const [group] = await sql<{ id: number }>(
    `insert into survey_group (campaign_id, position, name) values (?, 1, 'Người dân') returning id`,
    [campaign.id],
  );
  await sql(`insert into survey_question (group_id, position, text) values (?, 1, 'Câu hỏi')`, [group.id]);
  await sql(
    `insert into survey_link (campaign_id, unit_id, code) select ?, id, 'matrix1' from unit where code = 'xa-truc-thanh'`,
    [campaign.id],
  );
});
afterAll(async () => {
  await t.close();
});

type Who =
  | 'anonymous'
  | 'admin'
  | 'chutich'
  | 'thamdinh'
  | 'canbo'
  | 'chutichxa'
  | 'congtac'
  | 'canbo2'
  | 'phochutich'
  | 'uyvien'
  | 'thuky';
// The secretariat goes last: its POSTs (a password reset, a deactivation) change other people.
const people: Who[] = [
  'anonymous',
  'chutich',
  'thamdinh',
  'canbo',
  'chutichxa',
  'congtac',
  'canbo2',
  'phochutich',
  'uyvien',
  'thuky',
  'admin',
];
/** Issue 23: the demo council's vice-chair and member, and its working group's secretary (the appraiser leads it). */
const councilOnly: Who[] = ['phochutich', 'uyvien', 'thuky'];

/** Who may pass the route's guard; null means everyone (public). */
function allowed(url: string, method: string): Who[] | null {
  if (url.startsWith('/admin')) return ['admin'];
  // Only a co-appraising agency gives an opinion (issue 23): the matrix's appraiser leads item 1.1.1, so is refused.
  if (url.startsWith('/appraisal') && url.endsWith('/opinions')) return [];
  if (url.startsWith('/council'))
    return url.endsWith('/approval') ? ['chutich'] : ['admin', 'chutich', 'phochutich', 'uyvien'];
  // Issue 23: the working group follows up; the unit's report is read by the secretariat, the council and the
  // appraisers of its fields (the Nội vụ's).
  if (url.startsWith('/followup')) return ['phochutich', 'thuky'];
  if (url.startsWith('/reports')) return ['admin', 'chutich', 'phochutich', 'uyvien', 'thamdinh'];
  if (url.startsWith('/appraisal')) return ['thamdinh'];
  // Only the head submits (the demo campaign does not let the officer); the contributor neither answers requests nor assigns.
  if (method === 'POST' && url.endsWith('/submission') && url.startsWith('/unit/:unit')) return ['chutichxa'];
  if (/^\/unit\/:unit\/campaigns\/:code\/(assignments|explanations\/:)/.test(url)) return ['canbo', 'chutichxa'];
  // Issue 23: the unit's bodies are the officer's and the head's; the one score is theirs to compile (the contributor
  // adds files and a note); a note is written by an assignee only (the contributor holds 1.1.1 here).
  if (url === '/unit/:unit/campaigns/:code/bodies') return ['canbo', 'chutichxa'];
  if (method === 'POST' && url === '/unit/:unit/campaigns/:code/criteria/:criterion') return ['canbo', 'chutichxa'];
  if (method === 'POST' && url === '/unit/:unit/campaigns/:code/criteria/:criterion/note') return ['congtac'];
  // The file of 1.1.1 here is the officer's: a contributor removes only what they sent.
  if (method === 'POST' && url === '/unit/:unit/campaigns/:code/evidence/:file/removal') return ['canbo', 'chutichxa'];
  // The unit's own survey figures (issue 23): its officers and head, not a contributor.
  if (/^\/unit\/:unit\/campaigns\/:code\/survey-figures/.test(url)) return ['canbo', 'chutichxa'];
  if (url.startsWith('/unit/:unit')) return ['canbo', 'chutichxa', 'congtac'];
  if (url.startsWith('/unit')) return ['canbo', 'chutichxa', 'congtac', 'canbo2'];
  // The practice preview: the secretariat, the chair, the people of the practice campaign's units and agencies.
  if (url.startsWith('/practice/')) return people.filter((p) => p !== 'anonymous' && !councilOnly.includes(p));
  if (url === '/home' || url.startsWith('/account/') || url.startsWith('/inbox'))
    return people.filter((p) => p !== 'anonymous');
  return null;
}

/** Routes whose door is not a role: the first start's setup answers only with its one-time token. */
const notByRole = (url: string) => url === '/setup';

const address = (url: string) => {
  if (url.startsWith('/practice/')) return url.replace(':code', practiceCode);
  const values =
    url.startsWith('/campaigns') || url.startsWith('/open-data') || url.startsWith('/years') ? published : params;
  const code = url.startsWith('/admin/units')
    ? 'xa-truc-thanh'
    : url.startsWith('/admin/agencies')
      ? 'noi-vu'
      : url.startsWith('/admin/criteria-sets')
        ? undefined
        : values.code;
  return url.replace(/:(\w+)/g, (_, name: string) => {
    if (name === 'code') return url.startsWith('/ks/') ? 'matrix1' : (code ?? '1');
    if (name === 'id' && url.startsWith('/admin/criteria-sets')) return '1';
    if (name === 'id' && url.startsWith('/admin/users')) return grantId;
    if (name === 'id' && url.startsWith('/admin/trust-anchors')) return anchorId;
    if (name === 'id' && url.includes('/council/members/')) return councilMemberId;
    if (name === 'id' && url.includes('/explanations/')) return values.request;
    return values[name] ?? '1';
  });
};

describe('the authorization matrix', () => {
  it('lists the whole route table', () => {
    expect(t.app.routeTable.length).toBeGreaterThan(60);
  });

  it.each(people)('%s: reaches only what its role may, and never a server error', async (who) => {
    const b = new Browser(t.app);
    if (who !== 'anonymous') await b.signIn(who);
    const home = await b.get(who === 'anonymous' ? '/sign-in' : '/home');
    const page = home.statusCode === 303 ? await b.get(home.headers.location as string) : home;
    const token = csrfToken(page.body);
    const failures: string[] = [];
    for (const route of t.app.routeTable) {
      if (route.url.startsWith('/assets') || route.url === '/sign-out') continue;
      const url =
        route.url === '/inbox/:id'
          ? `/inbox/${notices[who] ?? '1'}`
          : route.url.endsWith('/uploads/:id')
            ? address(route.url).replace(/[^/]+$/, uploadIds[who] ?? '1')
            : address(route.url);
      const res =
        route.method === 'GET'
          ? await b.get(url)
          : route.method === 'POST'
            ? await b.request('POST', url, { form: { _csrf: token } })
            : // The tus methods of resumable uploads (OPTIONS, PATCH, DELETE): an empty chunk at offset 0.
              await t.app.inject({
                method: route.method as 'OPTIONS' | 'PATCH' | 'DELETE',
                url,
                headers: {
                  cookie: b.cookieHeader,
                  'x-csrf-token': token,
                  'tus-resumable': '1.0.0',
                  'upload-offset': '0',
                  'content-type': 'application/offset+octet-stream',
                },
                payload: route.method === 'PATCH' ? '' : undefined,
              });
      const may = allowed(route.url, route.method);
      if (res.statusCode >= 500) failures.push(`${route.method} ${url} → ${res.statusCode}`);
      else if (may && !may.includes(who)) {
        const refused =
          who === 'anonymous'
            ? res.statusCode === 303 && String(res.headers.location).startsWith('/sign-in')
            : [403, 404].includes(res.statusCode);
        if (!refused) failures.push(`${route.method} ${url} → ${res.statusCode} (should be refused)`);
      } else if (!notByRole(route.url)) {
        const toSignIn = res.statusCode === 303 && String(res.headers.location).startsWith('/sign-in');
        const passed =
          route.method === 'GET'
            ? res.statusCode < 400 && !toSignIn
            : ![403, 404].includes(res.statusCode) && !toSignIn;
        if (!passed)
          failures.push(`${route.method} ${url} → ${res.statusCode} ${res.headers.location ?? ''} (should be let in)`);
      }
    }
    expect(failures).toEqual([]);
  });
});
