// Weak points: where published points were lost (max − appraised score, applicable criteria only), for one unit
// against its block and its own past, and for a whole campaign per block. Pure: the callers read the frozen
// publication (per-criterion detail and per-field results) and pass it in; nothing here is ever summed across units
// into a figure nobody published except the averages it is asked for, which say how many units they are over.
import { compareCriterionCodes } from './scoring.ts';
import { dec, rational, roundRational, sub, sum, type Dec, type Places } from './decimal.ts';

export interface WeakCriterionInput {
  max: string;
  applicable: boolean;
  self: string | null;
  score: string | null;
  reason: string | null;
}

export interface WeakFieldInput {
  code: string;
  title: string;
  applicableMax: number | string;
  score: number | string;
}

/** One published unit as the weak-point figures read it. */
export interface WeakUnitInput {
  code: string;
  name: string;
  block: string | null;
  /** Every criterion of the publication's detail, parents included (only leaves are read). */
  criteria: Record<string, WeakCriterionInput>;
  fields: readonly WeakFieldInput[];
}

/** A unit's fields in an earlier publication: its own last year, or one predecessor's. */
export interface PastFields {
  code: string;
  name: string;
  /** The earlier campaign's year. */
  year: number;
  fields: readonly { code: string; applicableMax: number | string; score: number | string }[];
  /** Its per-criterion detail then, where published (not for a unit known only by component points). */
  criteria?: Record<string, WeakCriterionInput>;
}

/** Points lost on the same criterion in an earlier publication, by the unit itself or one predecessor. */
export interface PastLoss {
  code: string;
  name: string;
  year: number;
  lost: Dec;
  max: Dec;
}

export interface LostCriterion {
  code: string;
  max: Dec;
  self: Dec | null;
  score: Dec;
  lost: Dec;
  /** The average points lost on this criterion by the block's units for which it applies (this unit included). */
  blockAverageLost: Dec;
  /** How many of the block's units it applies to. */
  blockUnits: number;
  reason: string;
  /** What the same criterion lost earlier (its own last year, or each predecessor), where it applied then. */
  past: PastLoss[];
}

export interface PastField {
  code: string;
  name: string;
  year: number;
  score: Dec;
  applicableMax: Dec;
}

export interface LostField {
  code: string;
  title: string;
  applicableMax: Dec;
  score: Dec;
  lost: Dec;
  /** score ÷ applicableMax in per cent, one decimal. */
  percent: Dec;
  /** The block's average per cent of maximum on this field, over the units it applies to; null when none. */
  blockPercent: Dec | null;
  /** Its own result in the earlier campaign, or each predecessor's (never added together); empty when none. */
  past: PastField[];
}

export interface UnitWeakPoints {
  /** Leaves where points were lost, most lost first (ties: code order), at most `limit`. */
  criteria: LostCriterion[];
  /** How many leaves lost points in all. */
  criteriaLosing: number;
  /** Applicable fields, most lost first (ties: code order). */
  fields: LostField[];
}

const PERCENT_PLACES: Places = 1;

/** The codes among `codes` with nothing beneath them. */
export function leafCodes(codes: readonly string[]): string[] {
  const set = new Set(codes);
  const parents = new Set<string>();
  for (const c of set) {
    const i = c.lastIndexOf('.');
    if (i > 0) parents.add(c.slice(0, i));
  }
  return [...set].filter((c) => !parents.has(c)).sort(compareCriterionCodes);
}

/** Points lost on an applicable, scored leaf; null when not applicable or unscored (a survey criterion). */
function lostOn(c: WeakCriterionInput | undefined): Dec | null {
  if (!c?.applicable || c.score === null) return null;
  return sub(dec(c.max), dec(c.score));
}

/** Mean of some Decs, half up at `places`. */
function mean(values: readonly Dec[], places: Places): Dec {
  if (values.length === 0) return 0n as Dec;
  return roundRational(rational(sum(values), BigInt(values.length) * 1000n), places, 'half-up');
}

/** score ÷ max in per cent at one decimal, half up. */
export function percentOf(score: Dec, max: Dec): Dec {
  return roundRational(rational(score * 100n, max), PERCENT_PLACES, 'half-up');
}

/** Per cent achievement per field code of a unit's applicable fields. */
function fieldPercents(u: WeakUnitInput): Map<string, Dec> {
  const out = new Map<string, Dec>();
  for (const f of u.fields) {
    const max = dec(f.applicableMax);
    if (max > 0n) out.set(f.code, percentOf(dec(f.score), max));
  }
  return out;
}

/**
 * The unit's weak points: criteria (leaves) where it lost points and its fields by points lost, each against the
 * average of its block (`peers`: the block's published units, the unit itself included) and its past (`past`: its
 * own last year, or each predecessor's fields for a merged unit). Averages are half up at `places`.
 */
export function unitWeakPoints(
  unit: WeakUnitInput,
  peers: readonly WeakUnitInput[],
  past: readonly PastFields[],
  opts: { limit: number; places: Places },
): UnitWeakPoints {
  const block = peers.filter((p) => p.block === unit.block);
  const losing = leafCodes(Object.keys(unit.criteria)).flatMap((code) => {
    const c = unit.criteria[code]!;
    const lost = lostOn(c);
    if (lost === null || lost <= 0n) return [];
    const others = block.flatMap((p) => {
      const l = lostOn(p.criteria[code]);
      return l === null ? [] : [l];
    });
    return [
      {
        code,
        max: dec(c.max),
        self: c.self === null ? null : dec(c.self),
        score: dec(c.score!),
        lost,
        blockAverageLost: mean(others, opts.places),
        blockUnits: others.length,
        reason: (c.reason ?? '').trim(),
        past: past.flatMap((p) => {
          const was = p.criteria?.[code];
          const l = lostOn(was);
          return l === null ? [] : [{ code: p.code, name: p.name, year: p.year, lost: l, max: dec(was!.max) }];
        }),
      },
    ];
  });
  losing.sort((a, b) => (a.lost === b.lost ? compareCriterionCodes(a.code, b.code) : a.lost > b.lost ? -1 : 1));

  const blockPercents = block.map(fieldPercents);
  const fields = unit.fields
    .filter((f) => dec(f.applicableMax) > 0n)
    .map((f) => {
      const applicableMax = dec(f.applicableMax);
      const score = dec(f.score);
      const others = blockPercents.flatMap((m) => (m.has(f.code) ? [m.get(f.code)!] : []));
      return {
        code: f.code,
        title: f.title,
        applicableMax,
        score,
        lost: sub(applicableMax, score),
        percent: percentOf(score, applicableMax),
        blockPercent: others.length ? mean(others, PERCENT_PLACES) : null,
        past: past.flatMap((p) => {
          const was = p.fields.find((x) => x.code === f.code && dec(x.applicableMax) > 0n);
          return was
            ? [
                {
                  code: p.code,
                  name: p.name,
                  year: p.year,
                  score: dec(was.score),
                  applicableMax: dec(was.applicableMax),
                },
              ]
            : [];
        }),
      };
    })
    .sort((a, b) => (a.lost === b.lost ? compareCriterionCodes(a.code, b.code) : a.lost > b.lost ? -1 : 1));

  return { criteria: losing.slice(0, opts.limit), criteriaLosing: losing.length, fields };
}

export interface CriterionLoss {
  code: string;
  max: Dec;
  /** Units it applies to (and was scored for) in the block. */
  units: number;
  /** Of those, how many lost points on it. */
  losing: number;
  /** losing ÷ units in per cent, one decimal. */
  share: Dec;
  /** Average points lost over the units it applies to. */
  averageLost: Dec;
}

export interface FieldAverage {
  code: string;
  title: string;
  /** Units it applies to. */
  units: number;
  /** Average per cent of maximum over those units, one decimal. */
  percent: Dec;
}

export interface HeatRow {
  code: string;
  name: string;
  /** Per field code, in `fields` order: per cent of maximum, or null where the field does not apply. */
  cells: (Dec | null)[];
}

export interface BlockWeakPoints {
  block: string | null;
  units: number;
  /** Criteria where at least one unit lost points: most average lost first, then the larger share, then code. */
  criteria: CriterionLoss[];
  fields: FieldAverage[];
  heat: HeatRow[];
}

/**
 * A campaign's weak points per block (in the order the blocks first appear): criteria ranked by points lost across
 * the block's units, each field's average achievement, and the units × fields grid of per cent of maximum.
 * Units without criteria detail and fields (not submitted) are left out.
 */
export function campaignWeakPoints(units: readonly WeakUnitInput[], places: Places): BlockWeakPoints[] {
  const scored = units.filter((u) => u.fields.length > 0);
  const blocks = [...new Set(scored.map((u) => u.block))];
  return blocks.map((block) => {
    const mine = scored.filter((u) => u.block === block);
    const codes = leafCodes([...new Set(mine.flatMap((u) => Object.keys(u.criteria)))]);
    const criteria = codes.flatMap((code) => {
      const losses = mine.flatMap((u) => {
        const l = lostOn(u.criteria[code]);
        return l === null ? [] : [l];
      });
      const losing = losses.filter((l) => l > 0n).length;
      if (losing === 0) return [];
      const max = dec(mine.find((u) => u.criteria[code])!.criteria[code]!.max);
      return [
        {
          code,
          max,
          units: losses.length,
          losing,
          share: roundRational(rational(BigInt(losing) * 100n, BigInt(losses.length)), 1, 'half-up'),
          averageLost: mean(losses, places),
        },
      ];
    });
    criteria.sort(
      (a, b) =>
        (a.averageLost === b.averageLost ? 0 : a.averageLost > b.averageLost ? -1 : 1) ||
        (a.share === b.share ? 0 : a.share > b.share ? -1 : 1) ||
        compareCriterionCodes(a.code, b.code),
    );
    const fieldList: { code: string; title: string }[] = [];
    for (const u of mine) for (const f of u.fields) if (!fieldList.some((x) => x.code === f.code)) fieldList.push(f);
    fieldList.sort((a, b) => compareCriterionCodes(a.code, b.code));
    const percents = mine.map(fieldPercents);
    const fields = fieldList.map((f) => {
      const values = percents.flatMap((m) => (m.has(f.code) ? [m.get(f.code)!] : []));
      return {
        code: f.code,
        title: f.title,
        units: values.length,
        percent: values.length ? mean(values, PERCENT_PLACES) : (0n as Dec),
      };
    });
    const heat = mine.map((u, i) => ({
      code: u.code,
      name: u.name,
      cells: fieldList.map((f) => percents[i]!.get(f.code) ?? null),
    }));
    return { block, units: mine.length, criteria, fields, heat };
  });
}
