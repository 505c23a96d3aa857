import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Places,
  type Rounding,
  ZERO,
  add,
  compare,
  compareRational,
  dec,
  decimalsOf,
  div,
  format,
  formatVi,
  fromThousandths,
  mul,
  parseDec,
  rational,
  round,
  roundRational,
  sub,
  sum,
  times,
  toJsonNumber,
  toThousandths,
} from '../../src/domain/decimal.ts';

describe('parseDec', () => {
  it.each([
    ['1.5', 1500n],
    ['1,5', 1500n],
    ['-0.25', -250n],
    ['-0,25', -250n],
    ['  2 ', 2000n],
    ['\u00a02,75\t', 2750n],
    ['10', 10000n],
    ['+3', 3000n],
    ['0', 0n],
    ['-0', 0n],
    ['.5', 500n],
    ['94.999', 94999n],
    ['2.500', 2500n],
    ['1.2340', 1234n],
    ['007', 7000n],
  ])('%j → %s thousandths', (text, thousandths) => {
    expect(parseDec(text)).toBe(thousandths);
  });

  it.each([
    ['1.2345'],
    ['0,0001'],
    [''],
    ['   '],
    ['abc'],
    ['1.'],
    ['1.2.3'],
    ['1,234.5'],
    ['1 000'],
    ['--1'],
    ['1e3'],
    ['12a'],
    ['Infinity'],
    ['NaN'],
  ])('rejects %j with null', (text) => {
    expect(parseDec(text)).toBeNull();
  });

  it.each([
    [10, 10000n],
    [-3, -3000n],
    [0, 0n],
    [2.883, 2883n],
    [0.1, 100n],
    [-0.25, -250n],
  ])('number %d → %s thousandths (Excel cells)', (value, thousandths) => {
    expect(parseDec(value)).toBe(thousandths);
  });

  it.each([[0.1 + 0.2], [1e-7], [Number.NaN], [Number.POSITIVE_INFINITY], [1.2345]])('rejects number %d', (value) => {
    expect(parseDec(value)).toBeNull();
  });

  it('takes a bigint as whole units', () => {
    expect(parseDec(5n)).toBe(5000n);
  });

  it('dec throws a RangeError naming the input', () => {
    expect(() => dec('1.2345')).toThrow(RangeError);
    expect(() => dec('xyz')).toThrow(/"xyz"/);
    expect(dec('1,5')).toBe(1500n);
  });
});

describe('arithmetic', () => {
  it('adds, subtracts and sums exactly', () => {
    expect(add(dec('0.1'), dec('0.2'))).toBe(dec('0.3'));
    expect(sub(dec('95'), dec('0.001'))).toBe(dec('94.999'));
    expect(sum([dec('53.25'), dec('33.87')])).toBe(dec('87.12'));
    expect(sum([])).toBe(ZERO);
  });

  it.each([
    ['95', '94.99', 1],
    ['94.99', '94.999', -1],
    ['94.999', '95', -1],
    ['-1', '-0.5', -1],
    ['2,5', '2.500', 0],
  ])('compare(%s, %s) = %d', (a, b, expected) => {
    expect(compare(dec(a), dec(b))).toBe(expected);
  });

  it('counts the decimals a value needs', () => {
    expect([dec('10'), dec('1.5'), dec('1.25'), dec('-1.125'), dec('0.01')].map(decimalsOf)).toEqual([0, 1, 2, 3, 2]);
  });

  it('multiplies and divides into exact rationals', () => {
    expect(compareRational(mul(dec('1.5'), dec('1.5')), rational(225n, 100n))).toBe(0);
    expect(compareRational(div(dec('1'), dec('3')), rational(1n, 3n))).toBe(0);
    expect(compareRational(times(div(dec('62.62'), dec('70')), dec('100')), rational(6262n * 100n, 7000n))).toBe(0);
    expect(() => div(dec('1'), ZERO)).toThrow(RangeError);
    expect(() => rational(1n, 0n)).toThrow(RangeError);
    expect(rational(1n, -2n)).toEqual({ num: -1n, den: 2n });
  });
});

describe('rounding', () => {
  const ratioOf = (num: string, den: string) => div(dec(num), dec(den));
  it.each<[string, string, Places, Rounding, string]>([
    // Nam Định 2020: a mean of 62.62 points out of 70 printed as 89.45 %.
    ['6262', '70', 2, 'down', '89.45'],
    ['6262', '70', 2, 'half-up', '89.46'],
    // Thanh Hóa 2023, Ban Dân tộc: 68.32 of an applicable 84.
    ['6832', '84', 2, 'half-up', '81.33'],
    ['6832', '84', 3, 'half-up', '81.333'],
    ['1', '3', 3, 'half-up', '0.333'],
    ['2', '3', 3, 'half-up', '0.667'],
    ['2', '3', 3, 'down', '0.666'],
    ['2', '3', 2, 'down', '0.66'],
    ['1', '8', 2, 'half-up', '0.13'],
    ['1', '8', 2, 'down', '0.12'],
    ['1', '8', 0, 'half-up', '0'],
    ['1', '2', 0, 'half-up', '1'],
    ['-1', '8', 2, 'half-up', '-0.13'],
    ['-1', '8', 2, 'down', '-0.12'],
    ['-2', '3', 3, 'down', '-0.666'],
    ['-2', '3', 3, 'half-up', '-0.667'],
    ['-1', '3', 3, 'half-up', '-0.333'],
  ])('%s ÷ %s at %d decimals, %s → %s', (num, den, places, rounding, expected) => {
    expect(roundRational(ratioOf(num, den), places, rounding)).toBe(dec(expected));
  });

  it.each<[string, Places, Rounding, string]>([
    ['94.995', 2, 'half-up', '95'],
    ['94.995', 2, 'down', '94.99'],
    ['94.994', 2, 'half-up', '94.99'],
    ['-1.005', 2, 'half-up', '-1.01'],
    ['-1.009', 2, 'down', '-1'],
    ['-1.004', 2, 'half-up', '-1'],
    ['2.5', 0, 'half-up', '3'],
    ['-2.5', 0, 'half-up', '-3'],
    ['-2.5', 0, 'down', '-2'],
    ['1.234', 3, 'down', '1.234'],
  ])('round(%s, %d, %s) = %s', (value, places, rounding, expected) => {
    expect(round(dec(value), places, rounding)).toBe(dec(expected));
  });
});

describe('formatting', () => {
  it.each<[string, Places, string, string, number]>([
    ['94.99', 2, '94.99', '94,99', 94.99],
    ['24', 2, '24.00', '24,00', 24],
    ['96.12', 2, '96.12', '96,12', 96.12],
    ['91.651', 3, '91.651', '91,651', 91.651],
    ['86.3', 3, '86.300', '86,300', 86.3],
    ['0', 2, '0.00', '0,00', 0],
    ['-0.5', 2, '-0.50', '-0,50', -0.5],
    ['-0.005', 3, '-0.005', '-0,005', -0.005],
    ['100', 3, '100.000', '100,000', 100],
    ['7', 0, '7', '7', 7],
  ])('%s at %d decimals', (value, places, plain, vi, json) => {
    expect(format(dec(value), places)).toBe(plain);
    expect(formatVi(dec(value), places)).toBe(vi);
    expect(toJsonNumber(dec(value), places)).toBe(json);
  });

  it('JSON numbers drop trailing zeros', () => {
    expect(JSON.stringify({ index: toJsonNumber(dec('24.00'), 2), survey: toJsonNumber(dec('28.5'), 2) })).toBe(
      '{"index":24,"survey":28.5}',
    );
  });

  it('without a precision shows as few decimals as needed', () => {
    expect(format(dec('2.500'))).toBe('2.5');
    expect(formatVi(dec('87.12'))).toBe('87,12');
    expect(format(dec('10'))).toBe('10');
  });

  it('refuses to hide decimals instead of rounding silently', () => {
    expect(() => format(dec('94.995'), 2)).toThrow(RangeError);
    expect(() => toJsonNumber(dec('94.999'), 2)).toThrow(RangeError);
  });
});

describe('properties', () => {
  const thousandths = fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }).map(fromThousandths);

  it('format then parse gives the value back (plain and Vietnamese)', () => {
    fc.assert(
      fc.property(thousandths, (value) => {
        expect(parseDec(format(value, 3))).toBe(value);
        expect(parseDec(formatVi(value, 3))).toBe(value);
        expect(parseDec(format(value))).toBe(value);
        expect(parseDec(toJsonNumber(value, 3))).toBe(value);
      }),
    );
  });

  it('parse then format gives the canonical text back', () => {
    const text = fc
      .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.stringMatching(/^\d{3}$/))
      .map(
        ([negative, whole, fraction]) =>
          `${negative && (whole > 0n || fraction !== '000') ? '-' : ''}${whole}.${fraction}`,
      );
    fc.assert(
      fc.property(text, (value) => {
        expect(format(dec(value), 3)).toBe(value);
      }),
    );
  });

  it('half-up and down differ by at most one unit in the last place, and down never moves away from zero', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }),
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        (num, den) => {
          const r = rational(num, den);
          const down = toThousandths(roundRational(r, 2, 'down'));
          const up = toThousandths(roundRational(r, 2, 'half-up'));
          expect(up - down >= -10n && up - down <= 10n).toBe(true);
          const magnitude = (x: bigint) => (x < 0n ? -x : x);
          expect(compareRational(rational(magnitude(down), 1000n), rational(magnitude(num), den))).toBeLessThanOrEqual(
            0,
          );
        },
      ),
    );
  });
});
