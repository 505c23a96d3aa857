import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { parseBands, parseComposition } from '../../domain/rules-text.ts';
import { hashPassword } from '../auth/passwords.ts';
import { todayInVietnam } from '../../domain/dates.ts';
import { audit } from '../../db/audit.ts';
import {
  AgencySchema,
  CampaignSchema,
  CampaignUnitSchema,
  CriteriaSetSchema,
  CriterionSchema,
  RoleAssignmentSchema,
  UnitSchema,
  UserSchema,
  type Agency,
  type CriteriaSet,
  type Criterion,
  type Unit,
} from '../../db/entities/index.ts';
import { openSelfAssessment, scoredLeaves } from '../self-assessment/open.ts';
import { seedHandsDemo } from './hands.ts';
import { seedCouncilDemo } from '../council/demo.ts';
import { seedUnitsEnterSurvey } from './survey-by-units-demo.ts';
import {
  demoAgencies,
  demoCampaign,
  demoCriteriaSetFor,
  demoDistrict,
  demoPassword,
  demoPhaseDates,
  demoUnits,
  demoUsers,
  type DemoCriteriaSet,
} from './data.ts';
import { seedDemoCoAppraisal } from './coappr.ts';

export { demoPassword, demoUsers };

/**
 * Which demo was seeded into this database, if any: the province (a first start since the two-tier demo) or the
 * district (an older data folder, and the tests); its sign-ins are then worth printing.
 */
export async function demoExists(orm: MikroORM): Promise<'province' | 'district' | null> {
  const [row] = await orm.em
    .fork()
    .execute<{ shape: string | null }[]>(
      `select coalesce(after->>'shape', 'district') as shape from audit_event where action = 'demo.seeded' limit 1`,
    );
  return row ? (row.shape === 'province' ? 'province' : 'district') : null;
}

/**
 * For trying the portal, never in production (src/server.ts): on first start (no unit yet), a demo district: its communes, the appraising agencies, a commune criteria set,
 * a campaign open for self-assessment around `today`, and one user per role. Returns false when data exists.
 */
export async function seedDemoIfEmpty(orm: MikroORM, today = todayInVietnam()): Promise<boolean> {
  const em = orm.em.fork();
  if ((await em.count(UnitSchema, {})) > 0) return false;
  const passwordHash = await hashPassword(demoPassword);
  await em.transactional(async (tx) => seed(tx, passwordHash, today));
  return true;
}

async function seed(em: EntityManager, passwordHash: string, today: string) {
  const district = em.create(UnitSchema, { code: demoDistrict.code, name: demoDistrict.name, kind: demoDistrict.kind });
  const units = new Map<string, Unit>(
    demoUnits.map((u) => [u.code, em.create(UnitSchema, { ...u, parent: district })]),
  );
  const agencies = new Map<string, Agency>(demoAgencies.map((a) => [a.code, em.create(AgencySchema, a)]));

  for (const u of demoUsers) {
    const user = em.create(UserSchema, { username: u.username, fullName: u.fullName, passwordHash });
    em.create(RoleAssignmentSchema, {
      user,
      role: u.role,
      unit: u.unitCode ? units.get(u.unitCode) : null,
      agency: u.role === 'appraiser' && u.agencyCode ? agencies.get(u.agencyCode) : null,
    });
  }

  // The set's name, decision and guidance dates follow the campaign's year (the year of `today`).
  const year = Number(today.slice(0, 4));
  const { criteriaSet, leaves } = createCriteriaSet(em, demoCriteriaSetFor(year), agencies);

  const composition = parseComposition(demoCampaign.composition);
  const bands = parseBands(demoCampaign.bands);
  if (!composition.ok || !bands.ok) throw new Error('demo campaign rules do not parse');
  const campaign = em.create(CampaignSchema, {
    code: `truc-ninh-${year}`,
    name: demoCampaign.name.replace(String(demoCampaign.year), String(year)),
    year,
    organizer: demoCampaign.organizer,
    decision: demoCampaign.decision,
    criteriaSet,
    composition: composition.value,
    bands: bands.value,
    precision: demoCampaign.precision,
    rounding: demoCampaign.rounding,
    ...demoPhaseDates(today),
    state: 'self-assessment',
  });
  for (const unit of units.values()) {
    em.create(CampaignUnitSchema, { campaign, unit });
    openSelfAssessment(
      em,
      campaign,
      unit,
      leaves.map((criterion) => ({ criterion })),
    );
  }
  await em.flush();
  await seedHandsDemo(em, campaign.id);
  await seedDemoCoAppraisal(em, campaign.id);
  await seedUnitsEnterSurvey(em, campaign.id);
  audit(em, {
    actorId: null,
    action: 'demo.seeded',
    entityType: 'Campaign',
    entityId: campaign.id,
    after: { code: campaign.code },
  });
  await seedCouncilDemo(em, campaign.code, passwordHash, { homeAffairs: 'noi-vu', justice: 'tu-phap' }, today);
}

/** A locked criteria set from demo data, its agencies given by code (inherited down the tree); and its scored leaves. */
export function createCriteriaSet(
  em: EntityManager,
  set: DemoCriteriaSet,
  agencies: ReadonlyMap<string, Agency>,
): { criteriaSet: CriteriaSet; leaves: Criterion[] } {
  const criteriaSet = em.create(CriteriaSetSchema, {
    name: set.name,
    year: set.year,
    decision: set.decision,
    locked: true,
  });
  const byCode = new Map<string, Criterion>();
  set.criteria.forEach((c, position) => {
    const parentCode = c.code.includes('.') ? c.code.slice(0, c.code.lastIndexOf('.')) : null;
    const parent = parentCode ? byCode.get(parentCode)! : null;
    byCode.set(
      c.code,
      em.create(CriterionSchema, {
        criteriaSet,
        parent,
        position,
        code: c.code,
        title: c.title,
        guidance: c.guidance ?? '',
        kind: c.kind ?? 'self',
        minScore: c.minScore ?? '0',
        maxScore: c.maxScore,
        scoring: c.scoring ?? null,
        evidenceRequired: c.evidenceRequired ?? false,
        agency: c.agencyCode ? agencies.get(c.agencyCode) : (parent?.agency ?? null),
      }),
    );
  });
  return { criteriaSet, leaves: scoredLeaves([...byCode.values()]) };
}
