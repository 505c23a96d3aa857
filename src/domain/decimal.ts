/**
 * Exact fixed-point decimals for scores: a Dec is a bigint count of thousandths (1.5 is 1500n), so 94.99 can
 * never turn into 95 on the way. Products and quotients are exact rationals until they are rounded explicitly.
 */

import type { Language } from './language.ts';

export type Dec = bigint & { readonly __thousandths: true };
/** Decimals kept by a campaign. */
export type Precision = 2 | 3;

/** A campaign's precision as stored (a smallint): 3 decimals when it says 3, else the usual 2. */
export function precisionOf(stored: number): Precision {
  return stored === 3 ? 3 : 2;
}

/** The spreadsheet number format for a campaign's precision: '0.00' or '0.000'. */
export function spreadsheetFormat(precision: number): string {
  return `0.${'0'.repeat(precisionOf(precision))}`;
}
/** Decimals a Dec can be rounded to or formatted with. */
export type Places = 0 | 1 | 2 | 3;
/**
 * 'half-up' rounds halves away from zero (-1.005 → -1.01), like Excel's ROUND; 'down' truncates toward zero
 * (-1.009 → -1.00), like Excel's ROUNDDOWN. Published tables are made in Excel, so its conventions are the ones to match.
 */
export type Rounding = 'half-up' | 'down';
/** The exact value num ÷ den (in units, not thousandths), den > 0. */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

const SCALE = 1000n;
const MAX_PLACES = 3;

export const ZERO = 0n as Dec;

export function fromThousandths(thousandths: bigint): Dec {
  return thousandths as Dec;
}

export function toThousandths(value: Dec): bigint {
  return value;
}

/**
 * Parses "1.5", "1,5" (Vietnamese keyboards), "-0.25", " 2 ", ".5", an integer, or a non-integer number
 * through its shortest decimal form (an Excel cell holding 2.883 gives 2.883). A bigint counts whole units.
 * Returns null for garbage and for more than three significant decimals ("1.2345"); trailing zeros are
 * harmless ("2.500", as PostgreSQL returns a numeric(9,3)). No thousands separators: "1.000" is one.
 */
export function parseDec(input: string | number | bigint): Dec | null {
  if (typeof input === 'bigint') return (input * SCALE) as Dec;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return null;
    if (Number.isInteger(input)) return (BigInt(input) * SCALE) as Dec;
    return parseDec(String(input));
  }
  const match = /^([+-]?)(\d*)(?:[.,](\d+))?$/.exec(input.trim());
  if (!match) return null;
  const [, sign, whole, fraction = ''] = match;
  if (whole === '' && fraction === '') return null;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > MAX_PLACES) return null;
  const thousandths = BigInt(whole || '0') * SCALE + BigInt(significant.padEnd(MAX_PLACES, '0'));
  return (sign === '-' ? -thousandths : thousandths) as Dec;
}

/** Like parseDec, but throws a RangeError naming the input; meant for literals and already-validated data. */
export function dec(input: string | number | bigint): Dec {
  const value = parseDec(input);
  if (value === null) throw new RangeError(`Not a decimal with at most 3 decimals: ${JSON.stringify(String(input))}`);
  return value;
}

export function add(a: Dec, b: Dec): Dec {
  return (a + b) as Dec;
}

export function sub(a: Dec, b: Dec): Dec {
  return (a - b) as Dec;
}

export function negate(a: Dec): Dec {
  return -a as Dec;
}

export function sum(values: Iterable<Dec>): Dec {
  let total = 0n;
  for (const value of values) total += value;
  return total as Dec;
}

export function compare(a: Dec, b: Dec): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function max(a: Dec, b: Dec): Dec {
  return a >= b ? a : b;
}

export function min(a: Dec, b: Dec): Dec {
  return a <= b ? a : b;
}

/** How many decimals the value needs (0 to 3). */
export function decimalsOf(value: Dec): Places {
  let places = MAX_PLACES;
  let rest = value < 0n ? -value : value;
  while (places > 0 && rest % 10n === 0n) {
    rest /= 10n;
    places--;
  }
  return places as Places;
}

export function toRational(value: Dec): Rational {
  return { num: value, den: SCALE };
}

/** The exact fraction num ÷ den of two integers; throws on a zero denominator. */
export function rational(num: bigint, den: bigint): Rational {
  if (den === 0n) throw new RangeError('Division by zero');
  return den < 0n ? { num: -num, den: -den } : { num, den };
}

export function mul(a: Dec, b: Dec): Rational {
  return { num: a * b, den: SCALE * SCALE };
}

export function div(a: Dec, b: Dec): Rational {
  return rational(a, b);
}

export function times(r: Rational, d: Dec): Rational {
  return { num: r.num * d, den: r.den * SCALE };
}

export function compareRational(a: Rational, b: Rational): -1 | 0 | 1 {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}

export function roundRational(r: Rational, places: Places, rounding: Rounding): Dec {
  const unit = 10n ** BigInt(places);
  const scaled = r.num * unit;
  let kept = scaled / r.den;
  const remainder = scaled % r.den;
  if (rounding === 'half-up' && 2n * (remainder < 0n ? -remainder : remainder) >= r.den) {
    kept += scaled < 0n ? -1n : 1n;
  }
  return (kept * (SCALE / unit)) as Dec;
}

export function round(value: Dec, places: Places, rounding: Rounding): Dec {
  return roundRational(toRational(value), places, rounding);
}

/**
 * "94.99": exactly `places` decimals, or as few as needed when `places` is omitted. Throws a RangeError when the
 * value has more decimals than asked for: hiding digits silently is how 94.995 gets shown as 95.00.
 */
export function format(value: Dec, places?: Places): string {
  const shown = places ?? decimalsOf(value);
  if (decimalsOf(value) > shown) {
    throw new RangeError(`${format(value)} has more than ${shown} decimals; round it first`);
  }
  const magnitude = value < 0n ? -value : value;
  const whole = (magnitude / SCALE).toString();
  const fraction = (magnitude % SCALE).toString().padStart(MAX_PLACES, '0').slice(0, shown);
  return (value < 0n ? '-' : '') + whole + (shown > 0 ? `.${fraction}` : '');
}

/** "96,12": the Vietnamese decimal comma, no thousands grouping (scores stay far below a thousand). */
export function formatVi(value: Dec, places?: Places): string {
  return formatIn(value, 'vi', places);
}

/** A Dec in the reader's style (see `format` for `places`): 96,12 in Vietnamese, 96.12 in English. */
export function formatIn(value: Dec, lang: Language, places?: Places): string {
  const text = format(value, places);
  return lang === 'vi' ? text.replace('.', ',') : text;
}

/**
 * A score as text in the reader's style, trailing zeros dropped: '96.120' → '96,12' in Vietnamese, '96.12' in
 * English; '' for no value. Takes a decimal string as PostgreSQL prints it, or a number read from JSON (an audit
 * event, a document), which prints the same.
 */
export function formatScore(value: string | number | null | undefined, lang: Language): string {
  if (value === null || value === undefined || value === '') return '';
  const [int, frac = ''] = String(value).split('.');
  const kept = frac.replace(/0+$/, '');
  return kept ? `${int}${lang === 'vi' ? ',' : '.'}${kept}` : int;
}

/** A JSON number with at most `places` decimals, trailing zeros dropped (24, 94.99). */
export function toJsonNumber(value: Dec, places: Places): number {
  return Number(format(value, places));
}
