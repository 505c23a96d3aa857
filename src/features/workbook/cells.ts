// Cell values as Excel and LibreOffice save them, turned into plain values, and those into typed ones.
import type ExcelJS from 'exceljs';
import { type Dec, parseDec } from '../../domain/decimal.ts';
import { msg, type Message } from '../../domain/message.ts';

/** A cell after unwrapping formulas, rich text and hyperlinks; text is NFC and trimmed, and empty text is null. */
export type Plain = null | string | number | boolean | Date;

export type Converted<T> = { ok: true; value: T } | { ok: false; error: Message };
const valid = <T>(value: T): Converted<T> => ({ ok: true, value });
const refused = (error: Message): Converted<never> => ({ ok: false, error });

export function plainValue(value: ExcelJS.CellValue): Converted<Plain> {
  if (value === null || value === undefined) return valid(null);
  if (typeof value === 'string') {
    const text = value.normalize('NFC').trim();
    return valid(text === '' ? null : text);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return valid(value);
  if ('error' in value) return refused(msg('workbook.issue.cellError', { error: value.error }));
  if ('formula' in value || 'sharedFormula' in value) {
    // A file written by a program that does not compute formulas carries none of their results.
    if (value.result === undefined) return refused('workbook.issue.formula');
    return plainValue(value.result as ExcelJS.CellValue);
  }
  if ('richText' in value) return plainValue(value.richText.map((part) => part.text).join(''));
  if ('hyperlink' in value) return plainValue(value.text as ExcelJS.CellValue);
  return refused('workbook.issue.cellUnreadable');
}

export function shown(value: Plain): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

export function asText(value: Plain): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return shown(value);
}

export function asDec(value: Plain): Converted<Dec> {
  // A computed result such as =SUM(1.1;2.2) arrives as 3.3000000000000003: nine decimals hold every real digit.
  const parsed =
    typeof value === 'number' ? parseDec(value.toFixed(9)) : typeof value === 'string' ? parseDec(value) : null;
  return parsed === null ? refused(msg('workbook.issue.notNumber', { value: shown(value!) })) : valid(parsed);
}

export function asCount(value: Plain): Converted<number> {
  const parsed = asDec(value);
  if (!parsed.ok || parsed.value < 0n || parsed.value % 1000n !== 0n)
    return refused(msg('workbook.issue.notCount', { value: shown(value!) }));
  return valid(Number(parsed.value / 1000n));
}

const excelEpoch = Date.UTC(1899, 11, 30);

/** dd/mm/yyyy (also d/m/yyyy, with - or .), yyyy-mm-dd, a date cell, or a date cell's serial number → yyyy-mm-dd. */
export function asDate(value: Plain): Converted<string> {
  const wrong = refused(msg('workbook.issue.notDate', { value: shown(value!) }));
  if (value instanceof Date) return valid(isoDay(value.getTime()));
  // A date cell whose format the reader does not recognise arrives as its serial number (days since 1899-12-30).
  if (typeof value === 'number')
    return value >= 20_000 && value < 80_000 ? valid(isoDay(excelEpoch + value * 86_400_000)) : wrong;
  if (typeof value !== 'string') return wrong;
  const vn = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value);
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  const [year, month, day] = vn ? [vn[3], vn[2], vn[1]].map(Number) : iso ? [iso[1], iso[2], iso[3]].map(Number) : [];
  if (year === undefined) return wrong;
  const time = Date.UTC(year, month! - 1, day);
  const date = new Date(time);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month! - 1 || date.getUTCDate() !== day) return wrong;
  return valid(isoDay(time));
}

function isoDay(time: number): string {
  // Half a second either way absorbs the float error of a serial number turned into a time.
  return new Date(Math.floor((time + 500) / 86_400_000) * 86_400_000).toISOString().slice(0, 10);
}

const yes = new Set(['yes', 'có', 'true']);
const no = new Set(['no', 'không', 'false']);

export function asYesNo(value: Plain): Converted<boolean> {
  if (typeof value === 'boolean') return valid(value);
  const word = typeof value === 'string' ? value.toLocaleLowerCase('vi') : '';
  if (yes.has(word)) return valid(true);
  if (no.has(word)) return valid(false);
  return refused(msg('workbook.issue.notYesNo', { value: shown(value!) }));
}
