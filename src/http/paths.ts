// The portal's addresses, one typed function per page or action, grouped by area: routes (redirects, HX-Push-Url),
// views (`it.paths`, given to every view by render.ts) and tests build addresses here, never by hand.
// Each path segment goes through encodeURIComponent. Codes (unit, agency, campaign, criterion) and usernames are
// ASCII slugs and ids are numbers, so the encoding leaves them as they are: the addresses are those written by hand
// before, byte for byte. A query's values go through encodeURIComponent (a `next` address, a CSRF token), except
// where the pages always used URLSearchParams (the appraisal queue's filters, the published ranking's search), which
// writes a space as `+`; empty values are left out.

const seg = encodeURIComponent;

type QueryValue = string | number | undefined | null;
type Query = Record<string, QueryValue>;

/** `path?k=v&…` with the query's non-empty values in their order; the path alone when none; then `#hash`. */
function at(path: string, query: Query = {}, hash?: string, form = false): string {
  const given = Object.entries(query).filter((e): e is [string, string | number] => e[1] != null && e[1] !== '');
  const s = form
    ? new URLSearchParams(given.map(([k, v]) => [k, String(v)])).toString()
    : given.map(([k, v]) => `${seg(k)}=${seg(String(v))}`).join('&');
  return `${path}${s ? `?${s}` : ''}${hash ? `#${hash}` : ''}`;
}

/** The appraisal queue's filters, as its address carries them (campaign first, always). */
export type AppraisalFilter = {
  campaign: string;
  unit?: string;
  field?: string;
  state?: string;
  checked?: string;
  /** '1': waiting for my (co-appraising agency's) opinion. */
  opinion?: string;
};
const filterOf = (f: AppraisalFilter): Query => ({
  campaign: f.campaign,
  unit: f.unit,
  field: f.field,
  state: f.state,
  checked: f.checked,
  opinion: f.opinion,
});

const unitCampaign = (unit: string, campaign: string) => `/unit/${seg(unit)}/campaigns/${seg(campaign)}`;
const adminCampaign = (code: string) => `/admin/campaigns/${seg(code)}`;
const criteriaSet = (id: number | string) => `/admin/criteria-sets/${seg(String(id))}`;
const adminUser = (username: string) => `/admin/users/${seg(username)}`;
const council = (code: string) => `/council/campaigns/${seg(code)}`;
const publishedCampaign = (code: string) => `/campaigns/${seg(code)}`;
/** Where on-site checks are recorded: the secretariat's area, or the appraisal area for an agency the campaign allows. */
export type OnsiteArea = 'admin' | 'appraisal';
const visits = (area: OnsiteArea, code: string) => `/${area}/campaigns/${seg(code)}/visits`;
const visit = (area: OnsiteArea, code: string, id: number | string) => `${visits(area, code)}/${seg(String(id))}`;

export const paths = {
  /** The public home page. */
  root: () => '/',
  /** The signed-in person's home. */
  home: () => '/home',
  /** An area's first page: `/unit`, `/appraisal`, `/council`, `/admin`. */
  area: (area: string) => `/${seg(area)}`,
  /** The sign-in page; `next` the address to go back to afterwards. */
  signIn: (q: { next?: string } = {}) => at('/sign-in', q),
  signOut: () => '/sign-out',
  setup: () => '/setup',
  /** The language switch, back to `next` afterwards. */
  language: (lang: string, q: { next?: string } = {}) => at(`/lang/${seg(lang)}`, q),

  /** A unit's public survey form (the poster's QR code), and where an answer lands. */
  surveyForm: (code: string, q: { g?: number | string } = {}) => at(`/ks/${seg(code)}`, q),
  surveyThanks: (code: string) => `/ks/${seg(code)}/thanks`,

  account: {
    password: (q: { done?: number } = {}) => at('/account/password', q),
    /** The person's e-mail address and how notices reach them by mail. */
    mail: (q: { done?: number } = {}) => at('/account/mail', q),
  },

  /** The signed-in person's notices, newest first; opening one (a POST) marks it read and goes to its page. */
  inbox: {
    index: (q: { page?: number } = {}) => at('/inbox', q),
    open: (id: number | string) => `/inbox/${seg(String(id))}`,
    readAll: () => '/inbox/read-all',
  },

  unit: {
    index: () => '/unit',
    campaign: (unit: string, campaign: string) => unitCampaign(unit, campaign),
    criteria: (
      unit: string,
      campaign: string,
      q: { field?: string; missing?: string; saved?: string } = {},
      hash?: string,
    ) => at(`${unitCampaign(unit, campaign)}/criteria`, q, hash),
    /** A criterion's answer (POST). */
    criterion: (unit: string, campaign: string, criterion: string) =>
      `${unitCampaign(unit, campaign)}/criteria/${seg(criterion)}`,
    /** A criterion's evidence: the upload form (GET) and the upload (POST, with `_csrf` for multipart). */
    criterionEvidence: (unit: string, campaign: string, criterion: string, q: { _csrf?: string } = {}) =>
      at(`${unitCampaign(unit, campaign)}/criteria/${seg(criterion)}/evidence`, q),
    /** Resumable (tus) uploads of a criterion's evidence: created here (POST); the evidence block (GET). */
    criterionUploads: (unit: string, campaign: string, criterion: string) =>
      `${unitCampaign(unit, campaign)}/criteria/${seg(criterion)}/uploads`,
    criterionUpload: (unit: string, campaign: string, criterion: string, id: string) =>
      `${unitCampaign(unit, campaign)}/criteria/${seg(criterion)}/uploads/${seg(id)}`,
    evidence: (unit: string, campaign: string, id: number | string) =>
      `${unitCampaign(unit, campaign)}/evidence/${seg(String(id))}`,
    evidenceRemoval: (unit: string, campaign: string, id: number | string) =>
      `${unitCampaign(unit, campaign)}/evidence/${seg(String(id))}/removal`,
    assignments: (unit: string, campaign: string, q: { saved?: number | string; field?: string } = {}, hash?: string) =>
      at(`${unitCampaign(unit, campaign)}/assignments`, q, hash),
    /** One criterion's assignees (issue 23): several people and bodies, a due date each. */
    assignment: (unit: string, campaign: string, criterion: string) =>
      `${unitCampaign(unit, campaign)}/assignments/${seg(criterion)}`,
    /** The unit's named bodies (HĐND, UB MTTQ …) and their contact persons. */
    bodies: (unit: string, campaign: string, q: { saved?: number } = {}) =>
      at(`${unitCampaign(unit, campaign)}/bodies`, q),
    /** An assignee's note on a criterion (POST). */
    criterionNote: (unit: string, campaign: string, criterion: string) =>
      `${unitCampaign(unit, campaign)}/criteria/${seg(criterion)}/note`,
    submission: (unit: string, campaign: string) => `${unitCampaign(unit, campaign)}/submission`,
    explanations: (unit: string, campaign: string, q: { saved?: number | string } = {}, hash?: string) =>
      at(`${unitCampaign(unit, campaign)}/explanations`, q, hash),
    explanation: (unit: string, campaign: string, id: number | string) =>
      `${unitCampaign(unit, campaign)}/explanations/${seg(String(id))}`,
    explanationEvidence: (unit: string, campaign: string, id: number | string, q: { _csrf?: string } = {}) =>
      at(`${unitCampaign(unit, campaign)}/explanations/${seg(String(id))}/evidence`, q),
    /** The minutes of an on-site check at the unit. */
    visitMinutes: (unit: string, campaign: string, id: number | string) =>
      `${unitCampaign(unit, campaign)}/visits/${seg(String(id))}/minutes`,
    /** The unit's own paper survey forms, where the campaign lets units type them. */
    surveyPaper: (unit: string, campaign: string) => `${unitCampaign(unit, campaign)}/survey-paper`,
    /** The unit's own survey figures, where the campaign lets units enter them until a date. */
    surveyFigures: (unit: string, campaign: string, q: { saved?: number } = {}) =>
      at(`${unitCampaign(unit, campaign)}/survey-figures`, q),
    report: (unit: string, campaign: string, format: 'docx' | 'xlsx') =>
      `${unitCampaign(unit, campaign)}/report.${format}`,
  },

  appraisal: {
    index: () => '/appraisal',
    /** The queue, filtered; the filters travel with the appraiser from queue to item to the next item. */
    queue: (f: AppraisalFilter, q: { page?: number; done?: number } = {}) =>
      at('/appraisal/queue', { ...filterOf(f), page: q.page, done: q.done }, undefined, true),
    queueForm: () => '/appraisal/queue',
    /** Where the last decision of a queue lands: what was done there and what is left elsewhere. */
    queueDone: (f: AppraisalFilter) => at('/appraisal/queue/done', filterOf(f), undefined, true),
    /** An item; `quote` an on-site finding to put in the reason box (its `hash` the box's id). */
    item: (id: number | string, f?: AppraisalFilter, q: { quote?: number } = {}, hash?: string) =>
      at(`/appraisal/items/${seg(String(id))}`, { ...(f && filterOf(f)), quote: q.quote }, hash, true),
    evidence: (id: number | string, file: number | string) =>
      `/appraisal/items/${seg(String(id))}/evidence/${seg(String(file))}`,
    /** A co-appraiser's opinion on an item (POST). */
    opinions: (id: number | string, f?: AppraisalFilter) =>
      at(`/appraisal/items/${seg(String(id))}/opinions`, f ? filterOf(f) : {}, undefined, true),
    /** Verify a file's signatures again (POST). */
    evidenceVerification: (id: number | string, file: number | string) =>
      `/appraisal/items/${seg(String(id))}/evidence/${seg(String(file))}/verification`,
  },

  council: {
    index: () => '/council',
    campaign: (code: string, q: { units?: number } = {}, hash?: string) => at(council(code), q, hash),
    ranking: (code: string, q: { page?: number } = {}, hash?: string) => at(`${council(code)}/ranking`, q, hash),
    progress: (code: string) => `${council(code)}/progress`,
    /** The survey tallies behind the ranking's survey component. */
    survey: (code: string) => `${council(code)}/survey`,
    approval: (code: string) => `${council(code)}/approval`,
    /** The council's documents made from a publication (its newest, or version `v`), with a page of units per `page`. */
    documents: (code: string, q: { v?: number; page?: number } = {}, hash?: string) =>
      at(`${council(code)}/documents`, q, hash),
    /** One document of publication version `version`: `appendix.docx`, `appendix.xlsx`, `report.docx`, `minutes.zip`. */
    document: (code: string, version: number | string, file: string) =>
      `${council(code)}/documents/${seg(String(version))}/${seg(file)}`,
    /** One unit's appraisal minutes (DOCX) from publication version `version`. */
    unitMinutes: (code: string, version: number | string, unit: string) =>
      `${council(code)}/documents/${seg(String(version))}/units/${seg(unit)}/minutes.docx`,
  },

  /** Issue 23, items 2 and 4: a unit's report read outside the unit and its signed report; the council as
   * constituted (the secretariat's page); the working group's follow-up pages. */
  council2: {
    report: (code: string, unit: string, format: 'docx' | 'xlsx') =>
      `/reports/${seg(code)}/${seg(unit)}/report.${format}`,
    signed: (code: string, unit: string) => `/reports/${seg(code)}/${seg(unit)}/signed.pdf`,
    /** The unit's own page of its signed report: the file and the upload form (POST, multipart). */
    unitSigned: (unit: string, campaign: string, q: { saved?: number } = {}) =>
      at(`${unitCampaign(unit, campaign)}/signed-report`, q),
    unitSignedFile: (unit: string, campaign: string) => `${unitCampaign(unit, campaign)}/signed-report.pdf`,
    admin: (code: string, q: { saved?: string } = {}, hash?: string) => at(`${adminCampaign(code)}/council`, q, hash),
    adminDecision: (code: string) => `${adminCampaign(code)}/council/decision`,
    adminMembers: (code: string) => `${adminCampaign(code)}/council/members`,
    adminMemberRemoval: (code: string, id: number | string) =>
      `${adminCampaign(code)}/council/members/${seg(String(id))}/removal`,
    followup: () => '/followup',
    followupCampaign: (code: string, q: { sent?: string } = {}, hash?: string) =>
      at(`/followup/campaigns/${seg(code)}`, q, hash),
    followupProgress: (code: string) => `/followup/campaigns/${seg(code)}/progress`,
    followupMessage: (code: string) => `/followup/campaigns/${seg(code)}/message`,
  },

  admin: {
    index: () => '/admin',
    /** The units and bodies that cannot sign digitally (issue 23). */
    signing: (q: { saved?: string } = {}) => at('/admin/signing', q),
    /** E-mail deliveries refused or given up (src/features/mail.ts). */
    mail: () => '/admin/mail',
    /** The units' and agencies' registers: `/admin/units`, `/admin/agencies`. */
    register: (name: 'units' | 'agencies', q: { done?: string; code?: string } = {}) => at(`/admin/${name}`, q),
    registerNew: (name: 'units' | 'agencies') => `/admin/${name}/new`,
    registerRecord: (name: 'units' | 'agencies', code: string) => `/admin/${name}/${seg(code)}`,
    registerEdit: (name: 'units' | 'agencies', code: string) => `/admin/${name}/${seg(code)}/edit`,
    registerActive: (name: 'units' | 'agencies', code: string) => `/admin/${name}/${seg(code)}/active`,
    campaigns: () => '/admin/campaigns',
    newCampaign: () => '/admin/campaigns/new',
    campaign: (code: string, q: { saved?: string | number } = {}, hash?: string) => at(adminCampaign(code), q, hash),
    campaignSettings: (code: string) => `${adminCampaign(code)}/settings`,
    campaignProgress: (code: string) => `${adminCampaign(code)}/progress`,
    /** POST takes a phase change (with confirm=yes); GET with `to` is its confirmation page. */
    campaignState: (code: string, q: { to?: string } = {}) => at(`${adminCampaign(code)}/state`, q),
    campaignPublications: (code: string) => `${adminCampaign(code)}/publications`,
    campaignCorrections: (code: string) => `${adminCampaign(code)}/corrections`,
    campaignWorkbook: (code: string) => `${adminCampaign(code)}/workbook.xlsx`,
    campaignUnits: (code: string, q: { saved?: number; reopened?: string } = {}) =>
      at(`${adminCampaign(code)}/units`, q),
    campaignBlocks: (code: string) => `${adminCampaign(code)}/blocks`,
    campaignUnitExtension: (code: string, unit: string) => `${adminCampaign(code)}/units/${seg(unit)}/extension`,
    /** The appraisal window's extensions for an agency or a unit (POST). */
    appraisalExtensions: (code: string) => `${adminCampaign(code)}/appraisal-extensions`,
    /** GET: the confirmation page for reopening the unit's submitted self-assessment; POST (with a reason) reopens it. */
    campaignUnitReopen: (code: string, unit: string) => `${adminCampaign(code)}/units/${seg(unit)}/reopen`,
    /** The campaign's setting: units enter their own survey figures until a date. */
    surveyByUnits: (code: string) => `${adminCampaign(code)}/survey/by-units`,
    exemptions: (code: string) => `${adminCampaign(code)}/exemptions`,
    /** The secretariat writes to the campaign's units (all, not submitted, one block); `sent` after sending. */
    campaignMessage: (code: string, q: { sent?: string } = {}) => at(`${adminCampaign(code)}/message`, q),
    /** Each unit's band with the proposal the campaign's emulation rules give, from the publication; and as XLSX. */
    emulation: (code: string, q: { saved?: number } = {}) => at(`${adminCampaign(code)}/emulation`, q),
    emulationXlsx: (code: string) => `${adminCampaign(code)}/emulation.xlsx`,
    exemptionRemoval: (code: string, id: number | string) =>
      `${adminCampaign(code)}/exemptions/${seg(String(id))}/removal`,
    survey: (code: string, q: { saved?: number; imported?: number } = {}) => at(`${adminCampaign(code)}/survey`, q),
    surveyImport: (code: string, q: { _csrf?: string } = {}) => at(`${adminCampaign(code)}/survey/import`, q),
    surveyTemplate: (code: string) => `${adminCampaign(code)}/survey/template.xlsx`,
    /** The online survey (issue 17): questionnaire, answers (with voiding), paper forms, posters and slips. */
    surveyQuestionnaire: (code: string, q: { saved?: number } = {}) =>
      at(`${adminCampaign(code)}/survey/questionnaire`, q),
    surveyAnswers: (code: string, q: { unit?: string; voided?: number } = {}, hash?: string) =>
      at(`${adminCampaign(code)}/survey/answers`, q, hash),
    surveyAnswerVoid: (code: string, id: number | string) =>
      `${adminCampaign(code)}/survey/answers/${seg(String(id))}/void`,
    surveyPaper: (code: string, q: { unit?: string; saved?: number } = {}) =>
      at(`${adminCampaign(code)}/survey/paper`, q),
    surveyPosters: (code: string) => `${adminCampaign(code)}/survey/posters`,
    surveyPoster: (code: string, unit: string) => `${adminCampaign(code)}/survey/posters/${seg(unit)}`,
    surveySlips: (code: string, unit: string) => `${adminCampaign(code)}/survey/slips/${seg(unit)}`,
    criteriaSets: () => '/admin/criteria-sets',
    newCriteriaSet: () => '/admin/criteria-sets/new',
    criteriaSet: (id: number | string, q: { saved?: number } = {}, hash?: string) => at(criteriaSet(id), q, hash),
    newCriterion: (set: number | string, q: { parent?: string } = {}) => at(`${criteriaSet(set)}/criteria/new`, q),
    /** The criteria of a set: the new criterion's form posts here. */
    criteria: (set: number | string) => `${criteriaSet(set)}/criteria`,
    criterion: (set: number | string, id: number | string) => `${criteriaSet(set)}/criteria/${seg(String(id))}`,
    criterionEdit: (set: number | string, id: number | string, q: { saved?: string } = {}, hash?: string) =>
      at(`${criteriaSet(set)}/criteria/${seg(String(id))}/edit`, q, hash),
    criterionRemoval: (set: number | string, id: number | string) =>
      `${criteriaSet(set)}/criteria/${seg(String(id))}/removal`,
    /** A criterion's co-appraising agencies (POST). */
    criterionCoAgencies: (set: number | string, id: number | string) =>
      `${criteriaSet(set)}/criteria/${seg(String(id))}/co-agencies`,
    criterionPosition: (set: number | string, id: number | string) =>
      `${criteriaSet(set)}/criteria/${seg(String(id))}/position`,
    users: () => '/admin/users',
    newUser: () => '/admin/users/new',
    user: (username: string, q: { done?: string } = {}) => at(adminUser(username), q),
    userActive: (username: string) => `${adminUser(username)}/active`,
    userPassword: (username: string) => `${adminUser(username)}/password`,
    userRoles: (username: string) => `${adminUser(username)}/roles`,
    userRoleRemoval: (username: string, id: number | string) =>
      `${adminUser(username)}/roles/${seg(String(id))}/removal`,
    /** The trusted root and intermediate certificates (issue 19); `added`/`removed` say what was just done. */
    trustAnchors: (q: { added?: number; removed?: number; verified?: number } = {}) => at('/admin/trust-anchors', q),
    /** Verify the signed PDFs that were never verified (POST), a batch at a time. */
    trustAnchorVerification: () => '/admin/trust-anchors/verification',
    trustAnchorRemoval: (id: number | string) => `/admin/trust-anchors/${seg(String(id))}/removal`,
    workbookImport: (q: { _csrf?: string } = {}) => at('/admin/workbooks/import', q),
    workbookTemplate: () => '/admin/workbooks/template.xlsx',
  },

  /** On-site checks of a unit's self-scoring (kiểm tra thực tế), in the secretariat's or an agency's area. */
  onsite: {
    visits: (area: OnsiteArea, code: string) => visits(area, code),
    newVisit: (area: OnsiteArea, code: string) => `${visits(area, code)}/new`,
    /** POST: the secretariat lets the campaign's agencies record checks (or no longer). */
    setting: (code: string) => `${visits('admin', code)}/setting`,
    visit: (area: OnsiteArea, code: string, id: number | string, q: { saved?: number } = {}, hash?: string) =>
      at(visit(area, code, id), q, hash),
    findings: (area: OnsiteArea, code: string, id: number | string) => `${visit(area, code, id)}/findings`,
    findingRemoval: (area: OnsiteArea, code: string, id: number | string, criterion: string) =>
      `${visit(area, code, id)}/findings/${seg(criterion)}/removal`,
    /** The minutes: the file (GET) and its upload (POST, multipart, `_csrf` in the body). */
    minutes: (area: OnsiteArea, code: string, id: number | string, q: { _csrf?: string } = {}) =>
      at(`${visit(area, code, id)}/minutes`, q),
  },

  published: {
    /** A published campaign; `v` an earlier version. The ranking's sorting and paging links are relative (`?…`). */
    campaign: (
      code: string,
      q: { v?: number; block?: number; q?: string; sort?: string; page?: number } = {},
      hash?: string,
    ) => at(publishedCampaign(code), q, hash, true),
    methodology: (code: string, q: { v?: number } = {}) => at(`${publishedCampaign(code)}/methodology`, q),
    /** A year's index across the organisers' published campaigns. */
    year: (year: number) => `/years/${year}`,
    unit: (code: string, unit: string, q: { v?: number } = {}) =>
      at(`${publishedCampaign(code)}/units/${seg(unit)}`, q),
    /** The online survey's published results: the campaign's (ranking per block), one unit's, the counts as CSV. */
    surveyCampaign: (code: string) => `${publishedCampaign(code)}/survey`,
    unitSurvey: (code: string, unit: string) => `${publishedCampaign(code)}/units/${seg(unit)}/survey`,
    surveyOpenData: (code: string) => `/open-data/${seg(code)}/survey.csv`,
    /** A unit's improvement plan (DOCX) from its weak points in a publication. */
    improvementPlan: (code: string, unit: string, q: { v?: number } = {}) =>
      at(`${publishedCampaign(code)}/units/${seg(unit)}/improvement-plan.docx`, q),
    /** A campaign's weak points across its units, one block and one page of the heat map at a time. */
    weakPoints: (code: string, q: { v?: number; block?: number; page?: number } = {}, hash?: string) =>
      at(`${publishedCampaign(code)}/weak-points`, q, hash),
    /** The open data of the latest publication, or of a given version. */
    openData: (code: string, format: 'json' | 'csv' | 'xlsx', version?: number) =>
      version === undefined
        ? `/open-data/${seg(code)}/results.${format}`
        : `/open-data/${seg(code)}/v/${version}/results.${format}`,
  },

  /** Practice campaigns (Tập huấn): the secretariat's steps under the campaign, and the trainees' preview. */
  practice: {
    /** GET: the form that copies the campaign `code` into a practice campaign; POST: the copy. */
    make: (code: string) => `${adminCampaign(code)}/practice`,
    /** POST: move the practice campaign to the phase `to`. */
    phase: (code: string) => `${adminCampaign(code)}/practice/phase`,
    /** POST: publish a preview of the practice campaign. */
    publish: (code: string) => `${adminCampaign(code)}/practice/preview`,
    /** GET: the confirmation page with the numbers; POST with confirm=yes: the reset. */
    reset: (code: string) => `${adminCampaign(code)}/practice/reset`,
    /** GET: the confirmation page with the numbers; POST with confirm=yes: the discard. */
    discard: (code: string) => `${adminCampaign(code)}/practice/discard`,
    /** The campaigns' list after a discard, saying so. */
    discarded: () => at('/admin/campaigns', { discarded: 1 }),
    /** The preview of the practice campaign's results, for the secretariat and the trainees. */
    preview: (code: string) => `/practice/${seg(code)}/preview`,
  },
};

export type Paths = typeof paths;
