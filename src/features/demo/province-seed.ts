import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { audit } from '../../db/audit.ts';
import {
  AgencySchema,
  CampaignSchema,
  CampaignUnitSchema,
  RoleAssignmentSchema,
  UnitPredecessorSchema,
  UnitSchema,
  UserSchema,
  type Agency,
  type CriteriaSet,
  type Criterion,
  type Unit,
} from '../../db/entities/index.ts';
import { todayInVietnam } from '../../domain/dates.ts';
import { dec } from '../../domain/decimal.ts';
import { parseBands, parseComposition } from '../../domain/rules-text.ts';
import { slugOf } from '../../domain/text.ts';
import { hashPassword } from '../auth/passwords.ts';
import { publishCampaign } from '../publication/publish.ts';
import { openSelfAssessment } from '../self-assessment/open.ts';
import { importWorkbook, writeWorkbook, type CampaignWorkbook } from '../workbook/index.ts';
import { demoCampaign, demoPassword, demoPhaseDates } from './data.ts';
import {
  appraisingDepartments,
  communeCriteriaSetFor,
  departmentCriteriaSetFor,
  departments,
  firstNewOfficialCode,
  formerDistricts,
  formerKind,
  newUnits,
  provinceName,
  provinceUsers,
  type FormerDistrictKey,
} from './province.ts';
import { createCriteriaSet } from './seed.ts';
import { seedCouncilDemo } from '../council/demo.ts';

/** The codes of the province demo's two campaigns of `year`. */
export const provinceCampaignCodes = (year: number) => ({
  communes: `minh-hoa-xa-phuong-${year}`,
  departments: `minh-hoa-so-nganh-${year}`,
});

/** The code of a former unit: its district's prefix and the slug of its name (`song-may-xa-an-binh`). */
export const formerUnitCode = (district: FormerDistrictKey, name: string) =>
  `${formerDistricts[district].prefix}-${slugOf(name)}`;

/** The code of a new ward or commune: the slug of its name (`xa-song-may`). */
export const newUnitCode = (name: string) => slugOf(name);

/** A small deterministic generator, so that every fresh demo shows the same past year. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rules = { composition: 'appraisal:70,survey:30', bands: demoCampaign.bands };

function parsedRules() {
  const composition = parseComposition(rules.composition);
  const bands = parseBands(rules.bands);
  if (!composition.ok || !bands.ok) throw new Error('province demo rules do not parse');
  return { composition: composition.value, bands: bands.value };
}

/**
 * Last year's campaign of a former district, as the province brings it in: a workbook with the former units and
 * their component points (appraisal out of 70, survey out of 30), its criteria set reduced to the eight fields.
 */
function pastWorkbook(district: FormerDistrictKey, year: number): CampaignWorkbook {
  const { prefix, organizer, firstOfficialCode } = formerDistricts[district];
  const names = newUnits.filter((u) => u.district === district).flatMap((u) => u.from);
  const random = mulberry32(year * 31 + firstOfficialCode);
  const fields = communeCriteriaSetFor(year).criteria.filter((c) => !c.code.includes('.'));
  const { composition, bands } = parsedRules();
  const units = names.map((name, i) => ({
    code: formerUnitCode(district, name),
    name,
    kind: formerKind(name),
    parentCode: null,
    block: null,
    officialCode: String(firstOfficialCode + i),
    predecessorCodes: [],
  }));
  return {
    campaign: {
      code: `${prefix}-${year}`,
      name: `Chỉ số CCHC các xã, phường, thị trấn năm ${year}`,
      year,
      organizer,
      decision: `Kế hoạch số 98/KH-UBND năm ${year} của ${organizer}`,
      composition,
      bands,
      selfAssessmentOpens: null,
      selfAssessmentCloses: null,
      appraisalOpens: null,
      appraisalCloses: null,
      publishBy: null,
      precision: 2,
      rounding: 'half-up',
    },
    agencies: [],
    units,
    criteria: fields.map((f) => ({
      code: f.code,
      title: f.title,
      maxScore: dec(f.maxScore),
      minScore: dec('0'),
      kind: 'self',
      agencyCode: null,
      evidenceRequired: false,
      guidance: '',
      scoring: null,
    })),
    scores: [],
    survey: [],
    components: units.map((unit) => {
      const strength = 0.66 + random() * 0.32;
      // Quarter points, as councils score; the survey rate rounded to two decimals.
      const appraisal = Math.min(70, Math.round(70 * strength * 4) / 4);
      const survey = Math.min(30, Math.round(30 * (0.62 + random() * 0.36) * 100) / 100);
      return { unitCode: unit.code, points: { appraisal: dec(appraisal.toFixed(2)), survey: dec(survey.toFixed(2)) } };
    }),
  };
}

/**
 * For trying the portal, never in production (src/server.ts): on first start (no unit yet), a province in the
 * two-tier shape (src/features/demo/province.ts): the former districts' last year imported by component points and
 * published; this year's wards and communes formed from them, in two blocks; the departments as appraising agencies
 * and, in a campaign of their own, as assessed units; both campaigns open for self-assessment around `today`; one
 * user per role. Returns false when data exists.
 */
export async function seedProvinceDemoIfEmpty(orm: MikroORM, today = todayInVietnam()): Promise<boolean> {
  const em = orm.em.fork();
  if ((await em.count(UnitSchema, {})) > 0) return false;
  const year = Number(today.slice(0, 4));
  const passwordHash = await hashPassword(demoPassword);
  await em.transactional(async (tx) => {
    for (const district of Object.keys(formerDistricts) as FormerDistrictKey[]) {
      const workbook = pastWorkbook(district, year - 1);
      const imported = await importWorkbook(tx, await writeWorkbook(workbook), { actorId: null });
      if (!imported.ok) throw new Error(`province demo: ${workbook.campaign.code} did not import`);
      const published = await publishCampaign(tx, null, workbook.campaign.code, {
        imported: true,
        now: new Date(`${year}-01-20T02:00:00Z`),
      });
      if (!published.ok) throw new Error(`province demo: ${workbook.campaign.code} did not publish`);
    }
    await tx.execute(`update unit set exists_until = ? where exists_until is null`, [`${year - 1}-12-31`]);
    await seedPresent(tx, passwordHash, today);
  });
  return true;
}

async function seedPresent(em: EntityManager, passwordHash: string, today: string) {
  const year = Number(today.slice(0, 4));
  const formerByCode = new Map(
    (await em.find(UnitSchema, { existsUntil: { $ne: null } })).map((unit) => [unit.code, unit]),
  );
  const agencies = new Map<string, Agency>(
    appraisingDepartments.map((code) => [
      code,
      em.create(AgencySchema, { code, name: departments.find((d) => d.code === code)!.name }),
    ]),
  );
  const wardsAndCommunes = new Map<string, Unit>();
  newUnits.forEach((u, i) => {
    const unit = em.create(UnitSchema, {
      code: newUnitCode(u.name),
      name: u.name,
      kind: u.kind,
      officialCode: String(firstNewOfficialCode + i),
      existsFrom: `${year}-01-01`,
    });
    wardsAndCommunes.set(u.name, unit);
    for (const name of u.from) {
      const predecessor = formerByCode.get(formerUnitCode(u.district, name));
      if (!predecessor) throw new Error(`province demo: no former unit ${name}`);
      em.create(UnitPredecessorSchema, { unit, predecessor });
    }
  });
  const departmentUnits = new Map<string, Unit>(
    departments.map((d) => [d.code, em.create(UnitSchema, { code: d.code, name: d.name, kind: d.kind })]),
  );

  for (const u of provinceUsers) {
    const user = em.create(UserSchema, { username: u.username, fullName: u.fullName, passwordHash });
    em.create(RoleAssignmentSchema, {
      user,
      role: u.role,
      unit: u.unit ? (wardsAndCommunes.get(u.unit) ?? departmentUnits.get(u.unit)) : null,
      agency: u.role === 'appraiser' && u.agencyCode ? agencies.get(u.agencyCode) : null,
    });
  }

  const codes = provinceCampaignCodes(year);
  const communeSet = createCriteriaSet(em, communeCriteriaSetFor(year), agencies);
  const communes = openCampaign(em, {
    code: codes.communes,
    name: `Chỉ số CCHC các xã, phường, đặc khu năm ${year}`,
    decision: `Kế hoạch số 160/KH-UBND ngày 20/10/${year} của ${provinceName}`,
    today,
    ...communeSet,
    units: newUnits.map((u) => ({ unit: wardsAndCommunes.get(u.name)!, block: u.block })),
  });
  const departmentSet = createCriteriaSet(em, departmentCriteriaSetFor(year), agencies);
  openCampaign(em, {
    code: codes.departments,
    name: `Chỉ số CCHC các sở, ban, ngành năm ${year}`,
    decision: `Kế hoạch số 161/KH-UBND ngày 20/10/${year} của ${provinceName}`,
    today,
    ...departmentSet,
    units: [...departmentUnits.values()].map((unit) => ({ unit, block: null })),
  });
  await em.flush();
  audit(em, {
    actorId: null,
    action: 'demo.seeded',
    entityType: 'Campaign',
    entityId: communes.id,
    after: { code: communes.code, shape: 'province' },
  });
  await seedCouncilDemo(em, communes.code, passwordHash, { homeAffairs: 'so-noi-vu', justice: 'so-tu-phap' }, today);
}

function openCampaign(
  em: EntityManager,
  c: {
    code: string;
    name: string;
    decision: string;
    today: string;
    criteriaSet: CriteriaSet;
    leaves: Criterion[];
    units: { unit: Unit; block: string | null }[];
  },
) {
  const { composition, bands } = parsedRules();
  const campaign = em.create(CampaignSchema, {
    code: c.code,
    name: c.name,
    year: Number(c.today.slice(0, 4)),
    organizer: provinceName,
    decision: c.decision,
    criteriaSet: c.criteriaSet,
    composition,
    bands,
    precision: 2,
    rounding: 'half-up',
    ...demoPhaseDates(c.today),
    state: 'self-assessment',
  });
  for (const { unit, block } of c.units) {
    em.create(CampaignUnitSchema, { campaign, unit, block });
    openSelfAssessment(
      em,
      campaign,
      unit,
      c.leaves.map((criterion) => ({ criterion })),
    );
  }
  return campaign;
}
