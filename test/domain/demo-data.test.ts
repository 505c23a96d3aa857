import { describe, expect, it } from 'vitest';
import { slugOf } from '../../src/domain/text.ts';
import {
  type DemoCriterion,
  demoAgencies,
  demoCampaign,
  demoCriteriaMaxScore,
  demoCriteriaSet,
  demoCriteriaSetFor,
  demoDistrict,
  demoPassword,
  demoPhaseDates,
  demoUnits,
  demoUsers,
} from '../../src/features/demo/data.ts';

const criteria = demoCriteriaSet.criteria;
const byCode = new Map(criteria.map((c) => [c.code, c]));
const parentCode = (code: string): string | undefined =>
  code.includes('.') ? code.slice(0, code.lastIndexOf('.')) : undefined;
const childrenOf = (code: string): DemoCriterion[] => criteria.filter((c) => parentCode(c.code) === code);
const isLeaf = (c: DemoCriterion): boolean => childrenOf(c.code).length === 0;
const leaves = criteria.filter(isLeaf);
const fields = criteria.filter((c) => parentCode(c.code) === undefined);

/** A decimal string with at most two decimals, as integer hundredths; no binary floats. */
function hundredths(value: string): number {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(value);
  if (!m) throw new Error(`not a decimal with at most two decimals: ${value}`);
  const abs = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] === '-' ? -abs : abs;
}
const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

const decimal = String.raw`-?\d+(?:\.\d{1,2})?`;
const levelPart = new RegExp(String.raw`^\s*([^=;]+?)\s*=\s*(${decimal})\s*$`);
const ratioPart = new RegExp(String.raw`^\s*(\d+(?:\.\d+)?)\s*=\s*(${decimal})\s*$`);

type Rule =
  | { type: 'levels'; levels: { name: string; points: number }[] }
  | { type: 'ratio'; steps: { threshold: number; points: number }[] }
  | { type: 'proportional' };

/** The `scoring` column of docs/workbook.md. */
function parseScoring(text: string): Rule {
  if (text.trim() === 'proportional') return { type: 'proportional' };
  const m = /^(levels|ratio):(.+)$/.exec(text.trim());
  if (!m) throw new Error(`unknown scoring rule: ${text}`);
  const parts = m[2]!.split(';');
  if (m[1] === 'levels') {
    return {
      type: 'levels',
      levels: parts.map((part) => {
        const p = levelPart.exec(part);
        if (!p) throw new Error(`bad level "${part}" in ${text}`);
        return { name: p[1]!, points: hundredths(p[2]!) };
      }),
    };
  }
  return {
    type: 'ratio',
    steps: parts.map((part) => {
      const p = ratioPart.exec(part);
      if (!p) throw new Error(`bad threshold "${part}" in ${text}`);
      return { threshold: Number(p[1]), points: hundredths(p[2]!) };
    }),
  };
}

describe('demo district, units and agencies', () => {
  it('names the district', () => {
    expect(demoDistrict).toEqual({ code: 'truc-ninh', name: 'UBND huyện Trực Ninh', kind: 'huyện' });
  });

  it('has about 22 units with unique ASCII slugs matching their names', () => {
    expect(demoUnits.length).toBeGreaterThanOrEqual(20);
    expect(demoUnits.length).toBeLessThanOrEqual(24);
    expect(new Set(demoUnits.map((u) => u.code)).size).toBe(demoUnits.length);
    expect(new Set(demoUnits.map((u) => u.name)).size).toBe(demoUnits.length);
    const taken: string[] = [];
    for (const unit of demoUnits) {
      // The code is the generator's slug of the name, diacritics stripped (Trực Hưng → xa-truc-hung, never `huwng`).
      expect(unit.code).toBe(slugOf(unit.name, taken));
      taken.push(unit.code);
      expect(unit.code).toMatch(/^(xa|thi-tran)-[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(unit.name.startsWith(unit.kind === 'xã' ? 'Xã ' : 'Thị trấn ')).toBe(true);
      expect(unit.code.startsWith(unit.kind === 'xã' ? 'xa-' : 'thi-tran-')).toBe(true);
    }
  });

  it('makes codes from Vietnamese names without diacritics', () => {
    expect(slugOf('Xã Trực Hưng')).toBe('xa-truc-hung');
    expect(slugOf('Xã Trực Đạo')).toBe('xa-truc-dao');
    expect(slugOf('Thị trấn Cổ Lễ')).toBe('thi-tran-co-le');
    expect(slugOf('Phòng Tài chính – Kế hoạch')).toBe('phong-tai-chinh-ke-hoach');
    expect(slugOf('Xã Trực Hùng', ['xa-truc-hung'])).toBe('xa-truc-hung-2');
    expect(slugOf('Xã Trực Hùng', ['xa-truc-hung', 'xa-truc-hung-2'])).toBe('xa-truc-hung-3');
  });

  it('has unique agency codes and names', () => {
    expect(new Set(demoAgencies.map((a) => a.code)).size).toBe(demoAgencies.length);
    for (const agency of demoAgencies) expect(agency.code).toMatch(/^[a-z0-9-]+$/);
  });

  it('stores all Vietnamese text composed (NFC)', () => {
    const texts = [
      ...demoUnits.map((u) => u.name),
      ...demoAgencies.map((a) => a.name),
      ...criteria.flatMap((c) => [c.title, c.guidance ?? '', c.scoring ?? '']),
      ...demoUsers.map((u) => u.fullName),
      demoCriteriaSet.name,
      demoCampaign.name,
      demoCampaign.bands,
    ];
    for (const text of texts) expect(text).toBe(text.normalize('NFC'));
  });
});

describe('demo criteria set', () => {
  it('has unique dotted codes, each parent present and listed before its children', () => {
    expect(new Set(criteria.map((c) => c.code)).size).toBe(criteria.length);
    criteria.forEach((c, index) => {
      expect(c.code).toMatch(/^[1-9]\d*(\.[1-9]\d*)*$/);
      const parent = parentCode(c.code);
      if (parent !== undefined) {
        expect(byCode.has(parent), `parent of ${c.code}`).toBe(true);
        expect(criteria.findIndex((p) => p.code === parent)).toBeLessThan(index);
      }
    });
  });

  it('has the 8 fields of seed 003, about 110–140 leaves, depth 2 to 4', () => {
    expect(fields.map((f) => f.code)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(leaves.length).toBeGreaterThanOrEqual(110);
    expect(leaves.length).toBeLessThanOrEqual(140);
    for (const leaf of leaves) {
      const depth = leaf.code.split('.').length;
      expect(depth).toBeGreaterThanOrEqual(2);
      expect(depth).toBeLessThanOrEqual(4);
    }
  });

  it('holds the codes seed 003 assigns to people in the commune', () => {
    for (const code of [
      '1.5.1',
      '1.6.2',
      '3.2.6',
      '3.2.14',
      '4.1.4',
      '4.2.9',
      '4.3.6',
      '4.3.7',
      '5.8',
      '6.4',
      '7.17',
      '8.2.3.2',
      '8.3.2.1',
      '8.4.1.1',
      '8.4.1.3',
      '8.4.3.3',
      '8.4.4',
      '8.5.2',
    ]) {
      expect(byCode.has(code), code).toBe(true);
    }
  });

  it('keeps maxima within two decimals; leaves total exactly the appraisal component', () => {
    for (const c of criteria) hundredths(c.maxScore);
    const total = sum(leaves.map((l) => hundredths(l.maxScore)));
    expect(total).toBe(hundredths(demoCriteriaMaxScore));
    expect(total).toBe(7000);
  });

  it('gives every parent the sum of its children', () => {
    for (const c of criteria.filter((x) => !isLeaf(x))) {
      expect(sum(childrenOf(c.code).map((k) => hundredths(k.maxScore))), c.code).toBe(hundredths(c.maxScore));
    }
  });

  it('puts kind, minimum, scoring and evidence on leaves only, and has no survey-kind criterion', () => {
    for (const c of criteria.filter((x) => !isLeaf(x))) {
      expect(c.kind ?? c.minScore ?? c.scoring ?? c.evidenceRequired ?? c.guidance, c.code).toBeUndefined();
    }
    expect(criteria.some((c) => c.kind === 'survey')).toBe(false);
    expect(leaves.some((l) => l.kind === 'appraiser')).toBe(true);
  });

  it('has one or two deductions: maximum 0, negative minimum', () => {
    const deductions = leaves.filter((l) => l.minScore !== undefined);
    expect(deductions.length).toBeGreaterThanOrEqual(1);
    expect(deductions.length).toBeLessThanOrEqual(2);
    for (const d of deductions) {
      expect(d.maxScore).toBe('0');
      expect(hundredths(d.minScore!)).toBeLessThan(0);
    }
    for (const l of leaves.filter((x) => x.minScore === undefined)) expect(hundredths(l.maxScore)).toBeGreaterThan(0);
  });

  it('gives every field an existing agency, and every override names one too', () => {
    const agencyCodes = new Set(demoAgencies.map((a) => a.code));
    for (const field of fields) expect(agencyCodes.has(field.agencyCode ?? ''), field.code).toBe(true);
    for (const c of criteria) if (c.agencyCode !== undefined) expect(agencyCodes.has(c.agencyCode), c.code).toBe(true);
    // Every agency on the council appraises something.
    const used = new Set(criteria.map((c) => c.agencyCode).filter((a) => a !== undefined));
    expect([...agencyCodes].filter((a) => !used.has(a))).toEqual([]);
  });

  it('writes scoring rules in the workbook syntax, with points inside the range', () => {
    const types = new Set<string>();
    for (const leaf of leaves.filter((l) => l.scoring !== undefined)) {
      const rule = parseScoring(leaf.scoring!);
      types.add(rule.type);
      const max = hundredths(leaf.maxScore);
      const min = hundredths(leaf.minScore ?? '0');
      expect(leaf.kind ?? 'self', leaf.code).toBe('self');
      if (rule.type === 'levels') {
        expect(rule.levels.length, leaf.code).toBeGreaterThanOrEqual(2);
        expect(new Set(rule.levels.map((l) => l.name)).size).toBe(rule.levels.length);
        for (const level of rule.levels) {
          expect(level.points, leaf.code).toBeGreaterThanOrEqual(min);
          expect(level.points, leaf.code).toBeLessThanOrEqual(max);
        }
        expect(Math.max(...rule.levels.map((l) => l.points)), leaf.code).toBe(max);
        expect(Math.min(...rule.levels.map((l) => l.points)), leaf.code).toBe(min);
      } else if (rule.type === 'ratio') {
        const thresholds = rule.steps.map((s) => s.threshold);
        expect(thresholds.at(-1), leaf.code).toBe(0);
        expect(thresholds[0], leaf.code).toBeLessThanOrEqual(100);
        for (let i = 1; i < rule.steps.length; i++) {
          expect(thresholds[i]!, leaf.code).toBeLessThan(thresholds[i - 1]!);
          expect(rule.steps[i]!.points, leaf.code).toBeLessThanOrEqual(rule.steps[i - 1]!.points);
        }
        expect(rule.steps[0]!.points, leaf.code).toBe(max);
        for (const step of rule.steps) expect(step.points).toBeGreaterThanOrEqual(min);
      } else {
        expect(min).toBe(0);
      }
    }
    expect([...types].sort()).toEqual(['levels', 'proportional', 'ratio']);
    expect(parseScoring(byCode.get('3.2.6')!.scoring!).type).toBe('ratio');
  });

  it('rejects scoring text outside the workbook syntax', () => {
    expect(() => parseScoring('levels: Có=1,5; Không=0')).toThrow();
    expect(() => parseScoring('ratio: 100%=1; 0=0')).toThrow();
    expect(() => parseScoring('tỷ lệ')).toThrow();
  });
});

describe('demo users', () => {
  it('has one user per named account, with a unit or an agency that exists', () => {
    expect(demoUsers.map((u) => u.username)).toEqual([
      'admin',
      'chutich',
      'thamdinh',
      'thamdinh-tuphap',
      'thamdinh-taichinh',
      'thamdinh-vanhoa',
      'thamdinh-kinhte',
      'thamdinh-vanphong',
      'canbo',
      'chutichxa',
      'congtac',
      'canbo2',
    ]);
    const unitCodes = new Set(demoUnits.map((u) => u.code));
    const agencyCodes = new Set(demoAgencies.map((a) => a.code));
    for (const user of demoUsers) {
      if (user.unitCode !== undefined) expect(unitCodes.has(user.unitCode), user.username).toBe(true);
      if (user.agencyCode !== undefined) expect(agencyCodes.has(user.agencyCode), user.username).toBe(true);
      if (['officer', 'head', 'contributor'].includes(user.role)) expect(user.unitCode, user.username).toBeDefined();
      if (user.role === 'appraiser') expect(user.agencyCode, user.username).toBeDefined();
    }
    const role = (username: string) => demoUsers.find((u) => u.username === username)!;
    expect(role('admin')).toMatchObject({ role: 'admin', agencyCode: 'noi-vu' });
    expect(role('chutich').role).toBe('chair');
    expect(role('thamdinh')).toMatchObject({ role: 'appraiser', agencyCode: 'noi-vu' });
    expect(role('thamdinh-tuphap')).toMatchObject({ role: 'appraiser', agencyCode: 'tu-phap' });
    const unit = role('canbo').unitCode;
    expect(role('canbo').role).toBe('officer');
    expect(role('chutichxa')).toMatchObject({ role: 'head', unitCode: unit });
    expect(role('congtac')).toMatchObject({ role: 'contributor', unitCode: unit });
    expect(role('canbo2').role).toBe('officer');
    expect(role('canbo2').unitCode).not.toBe(unit);
    expect(demoPassword).toBe('demo-cchc-2024');
  });

  it('gives every appraising agency (every agency a criterion names) an appraiser', () => {
    const appraising = new Set(criteria.map((c) => c.agencyCode).filter((a): a is string => a !== undefined));
    const staffed = new Set(demoUsers.filter((u) => u.role === 'appraiser').map((u) => u.agencyCode));
    expect([...appraising].filter((a) => !staffed.has(a))).toEqual([]);
    expect(appraising.size).toBe(demoAgencies.length);
  });
});

describe('demo campaign', () => {
  it('composes appraisal 70 + survey 30, the appraisal part equal to the leaves total', () => {
    const parts = demoCampaign.composition.split(',').map((p) => p.split(':'));
    expect(sum(parts.map(([, max]) => hundredths(max!)))).toBe(10000);
    const appraisal = parts.find(([key]) => key === 'appraisal');
    expect(hundredths(appraisal![1]!)).toBe(hundredths(demoCriteriaMaxScore));
  });

  it('has bands highest first, ending at 0', () => {
    const bounds = demoCampaign.bands.split(';').map((b) => Number(b.split(':')[1]));
    expect(bounds).toEqual([95, 85, 75, 70, 0]);
  });

  it('keeps seed 000 dates in order', () => {
    const { selfAssessmentOpens, selfAssessmentCloses, appraisalOpens, appraisalCloses, publishBy } = demoCampaign;
    expect([selfAssessmentOpens, selfAssessmentCloses, appraisalOpens, appraisalCloses, publishBy]).toEqual([
      '2024-12-12',
      '2024-12-20',
      '2024-12-23',
      '2024-12-27',
      '2025-01-15',
    ]);
  });

  it('puts today inside the self-assessment window', () => {
    expect(demoPhaseDates('2024-12-17')).toEqual({
      selfAssessmentOpens: '2024-12-12',
      selfAssessmentCloses: '2024-12-27',
      appraisalOpens: '2024-12-30',
      appraisalCloses: '2025-01-03',
      publishBy: '2025-01-22',
    });
    expect(demoPhaseDates('2025-03-02').selfAssessmentOpens).toBe('2025-02-25');
    expect(demoPhaseDates('2024-03-02').selfAssessmentOpens).toBe('2024-02-26');
  });

  it('refuses what is not an ISO date', () => {
    for (const bad of ['17/12/2024', '2024-02-30', '2024-13-01', '', '2024-12-17T00:00:00Z']) {
      expect(() => demoPhaseDates(bad), bad).toThrow(RangeError);
    }
  });
});

describe("the demo criteria set follows the campaign's year", () => {
  it('dates its guidance, name and decision by the year it is seeded for', () => {
    const set = demoCriteriaSetFor(2026);
    expect(set.year).toBe(2026);
    expect(set.name).toMatch(/năm 2026$/);
    expect(set.decision).toContain('ngày 01/11/2025');
    expect(set.criteria.find((c) => c.code === '1.1.1')!.guidance).toContain('trước ngày 31/01/2026');
    const words = set.criteria.flatMap((c) => [c.title, c.guidance ?? '']).join(' ');
    expect(words).not.toMatch(/2024|2023/);
    expect(set.criteria.map((c) => c.code)).toEqual(demoCriteriaSet.criteria.map((c) => c.code));
  });
});
