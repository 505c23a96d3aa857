// Weak points against a small campaign computed by hand: block A (U1, U2, U3 merged from P1 and P2, U5 not
// submitted), block B (U4). Field 1: 1.1 (max 2), 1.2 (max 3); field 2: 2.1 (max 5), 2.2 (max 1, not applicable to
// U1 and U4), 2.1 also not applicable to U4.
import { describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/decimal.ts';
import {
  campaignWeakPoints,
  leafCodes,
  unitWeakPoints,
  type WeakCriterionInput,
  type WeakUnitInput,
} from '../../src/domain/weak-points.ts';

const c = (max: string, score: string | null, reason: string | null = null): WeakCriterionInput => ({
  max,
  applicable: score !== null,
  self: score === null ? null : max,
  score,
  reason,
});

function unit(
  code: string,
  block: string,
  scores: [string | null, string | null, string | null, string | null],
  reasons: Record<string, string> = {},
): WeakUnitInput {
  const [a, b, d, e] = scores;
  const n = (s: string | null) => (s === null ? 0 : Number(s));
  const f1Max = (a === null ? 0 : 2) + (b === null ? 0 : 3);
  const f2Max = (d === null ? 0 : 5) + (e === null ? 0 : 1);
  return {
    code,
    name: `Unit ${code}`,
    block,
    criteria: {
      // Parents are in the detail too; only leaves count.
      '1': c(String(f1Max), String(n(a) + n(b))),
      '1.1': c('2', a, reasons['1.1'] ?? null),
      '1.2': c('3', b, reasons['1.2'] ?? null),
      '2': c(String(f2Max), String(n(d) + n(e))),
      '2.1': c('5', d, reasons['2.1'] ?? null),
      '2.2': c('1', e, reasons['2.2'] ?? null),
    },
    fields: [
      { code: '1', title: 'Field one', applicableMax: f1Max, score: n(a) + n(b) },
      { code: '2', title: 'Field two', applicableMax: f2Max, score: n(d) + n(e) },
    ],
  };
}

const u1 = unit('U1', 'A', ['1', '3', '3.5', null], { '1.1': 'Thiếu minh chứng', '2.1': ' Chậm hạn ' });
const u2 = unit('U2', 'A', ['2', '1.5', '5', '0']);
const u3 = unit('U3', 'A', ['1', '2', '5', '1']);
const u4 = unit('U4', 'B', ['2', '0', null, null]);
const u5: WeakUnitInput = { code: 'U5', name: 'Unit U5', block: 'A', criteria: {}, fields: [] };
const all = [u1, u2, u3, u4, u5];
const opts = { limit: 10, places: 2 as const };

describe('leafCodes', () => {
  it('keeps the codes with nothing beneath, in code order', () => {
    expect(leafCodes(['2', '1.10', '1', '1.2', '1.2.1', '2.1'])).toEqual(['1.2.1', '1.10', '2.1']);
  });
});

describe('unitWeakPoints', () => {
  it('ranks the lost criteria and fields against the block, with the reasons, and its own last year', () => {
    const last = {
      code: 'U1',
      name: 'Unit U1',
      year: 2025,
      fields: [
        { code: '1', applicableMax: 5, score: 3 },
        { code: '2', applicableMax: 0, score: 0 },
      ],
      // 1.1 lost 0,5 then; 2.1 did not apply.
      criteria: { '1.1': c('2', '1.5'), '2.1': c('5', null) },
    };
    const w = unitWeakPoints(u1, all, [last], opts);
    // 2.1 lost 1,5 (block: 1,5 + 0 + 0 over 3 = 0,5); 1.1 lost 1 (block: 1 + 0 + 1 over 3 = 0,67). 2.2 not applicable.
    expect(w.criteria.map((x) => [x.code, x.lost, x.blockAverageLost, x.blockUnits, x.reason])).toEqual([
      ['2.1', dec('1.5'), dec('0.5'), 3, 'Chậm hạn'],
      ['1.1', dec('1'), dec('0.67'), 3, 'Thiếu minh chứng'],
    ]);
    expect(w.criteriaLosing).toBe(2);
    expect(w.criteria.map((x) => x.past)).toEqual([
      [],
      [{ code: 'U1', name: 'Unit U1', year: 2025, lost: dec('0.5'), max: dec('2') }],
    ]);
    // Field 2: 3,5 / 5 = 70 % (block: 70 + 83,3 + 100 over 3 = 84,4); field 1: 4 / 5 = 80 % (block 70 %).
    expect(w.fields.map((f) => [f.code, f.lost, f.percent, f.blockPercent])).toEqual([
      ['2', dec('1.5'), dec('70'), dec('84.4')],
      ['1', dec('1'), dec('80'), dec('70')],
    ]);
    // Last year field 2 did not apply: nothing to compare with, not a zero.
    expect(w.fields[0]!.past).toEqual([]);
    expect(w.fields[1]!.past).toEqual([
      { code: 'U1', name: 'Unit U1', year: 2025, score: dec('3'), applicableMax: dec('5') },
    ]);
  });

  it('orders ties by code and shows each predecessor of a merged unit apart, never added together', () => {
    const p1 = {
      code: 'P1',
      name: 'Xã P1',
      year: 2025,
      fields: [
        { code: '1', applicableMax: 5, score: 4.5 },
        { code: '2', applicableMax: 6, score: 3 },
      ],
      criteria: { '1.1': c('2', '2'), '1.2': c('3', '1') },
    };
    const p2 = { code: 'P2', name: 'Xã P2', year: 2025, fields: [{ code: '1', applicableMax: 5, score: 2 }] };
    const w = unitWeakPoints(u3, all, [p1, p2], opts);
    // 1.1 and 1.2 both lost 1: code order. 1.2's block average: 0 + 1,5 + 1 over 3 = 0,83.
    expect(w.criteria.map((x) => [x.code, x.lost, x.blockAverageLost])).toEqual([
      ['1.1', dec('1'), dec('0.67')],
      ['1.2', dec('1'), dec('0.83')],
    ]);
    // Only P1 was scored on criteria: 1.1 lost nothing then, 1.2 lost 2; P2's component points say nothing here.
    expect(w.criteria.map((x) => x.past.map((p) => [p.code, p.lost, p.max]))).toEqual([
      [['P1', dec('0'), dec('2')]],
      [['P1', dec('2'), dec('3')]],
    ]);
    expect(w.fields.map((f) => [f.code, f.lost, f.percent])).toEqual([
      ['1', dec('2'), dec('60')],
      ['2', dec('0'), dec('100')],
    ]);
    expect(w.fields[0]!.past.map((p) => [p.code, p.score, p.applicableMax])).toEqual([
      ['P1', dec('4.5'), dec('5')],
      ['P2', dec('2'), dec('5')],
    ]);
    expect(w.fields[1]!.past.map((p) => [p.code, p.score, p.applicableMax])).toEqual([['P1', dec('3'), dec('6')]]);
  });

  it('compares only within the block and leaves out fields that do not apply', () => {
    const w = unitWeakPoints(u4, all, [], { limit: 1, places: 2 });
    expect(w.criteria.map((x) => [x.code, x.lost, x.blockAverageLost, x.blockUnits])).toEqual([
      ['1.2', dec('3'), dec('3'), 1],
    ]);
    expect(w.fields.map((f) => [f.code, f.percent, f.blockPercent])).toEqual([['1', dec('40'), dec('40')]]);
  });

  it('cuts the list at the limit but counts every losing criterion', () => {
    const w = unitWeakPoints(u1, all, [], { limit: 1, places: 2 });
    expect(w.criteria.map((x) => x.code)).toEqual(['2.1']);
    expect(w.criteriaLosing).toBe(2);
  });
});

describe('campaignWeakPoints', () => {
  it('ranks criteria per block by average lost, then share of units losing, and fills the heat map', () => {
    const [a, b] = campaignWeakPoints(all, 2);
    expect(a!.block).toBe('A');
    // The unit that did not submit is not counted.
    expect(a!.units).toBe(3);
    // 1.2: 0 / 1,5 / 1 → 2 of 3, 0,83; 1.1: 1 / 0 / 1 → 2 of 3, 0,67; 2.2 (U2, U3): 1 / 0 → 1 of 2, 0,5;
    // 2.1: 1,5 / 0 / 0 → 1 of 3, 0,5 (tied with 2.2 on average; 2.2's larger share goes first).
    expect(a!.criteria.map((x) => [x.code, x.units, x.losing, x.share, x.averageLost])).toEqual([
      ['1.2', 3, 2, dec('66.7'), dec('0.83')],
      ['1.1', 3, 2, dec('66.7'), dec('0.67')],
      ['2.2', 2, 1, dec('50'), dec('0.5')],
      ['2.1', 3, 1, dec('33.3'), dec('0.5')],
    ]);
    expect(a!.fields.map((f) => [f.code, f.units, f.percent])).toEqual([
      ['1', 3, dec('70')],
      ['2', 3, dec('84.4')],
    ]);
    expect(a!.heat.map((r) => [r.code, ...r.cells])).toEqual([
      ['U1', dec('80'), dec('70')],
      ['U2', dec('70'), dec('83.3')],
      ['U3', dec('60'), dec('100')],
    ]);
    expect(b!.block).toBe('B');
    // 1.1 lost nothing; 2.1 and 2.2 do not apply: only 1.2.
    expect(b!.criteria.map((x) => [x.code, x.units, x.losing, x.share, x.averageLost])).toEqual([
      ['1.2', 1, 1, dec('100'), dec('3')],
    ]);
    expect(b!.fields.map((f) => [f.code, f.units])).toEqual([
      ['1', 1],
      ['2', 0],
    ]);
    expect(b!.heat).toEqual([{ code: 'U4', name: 'Unit U4', cells: [dec('40'), null] }]);
  });
});
