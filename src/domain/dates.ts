// Calendar dates as people type them here: dd/mm/yyyy (or d/m/yyyy), also ISO yyyy-mm-dd. Stored as ISO.

/** The ISO date for a typed date, or null when it is not a real calendar date. */
export function parseCalendarDate(text: string): string | null {
  const s = text.trim();
  let y: number, m: number, d: number;
  const vn = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (vn) [d, m, y] = [Number(vn[1]), Number(vn[2]), Number(vn[3])];
  else if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/**
 * What is wrong with a typed date, if anything: `format` when it is not written dd/mm/yyyy (or yyyy-mm-dd), `nonexistent`
 * when it is written right but names no day of the calendar (31/02/2026, 29/02/2025, 00/01/2026), so that the person is
 * told exactly that rather than to use a format they already used.
 */
export function calendarDateProblem(text: string): 'format' | 'nonexistent' | null {
  if (parseCalendarDate(text)) return null;
  const s = text.trim();
  return /^\d{1,2}[/.-]\d{1,2}[/.-]\d{4}$/.test(s) || /^\d{4}-\d{2}-\d{2}$/.test(s) ? 'nonexistent' : 'format';
}

/** The province's clock: every date and time the portal shows or compares is Vietnam's. */
export const timeZone = 'Asia/Ho_Chi_Minh';

const dateFormat = new Intl.DateTimeFormat('en-GB', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false });

/** dd/mm/yyyy for a calendar date ('2024-12-20') or an instant (a Date, or a timestamp as PostgreSQL prints it), in Vietnam's time. */
export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return '';
  if (typeof value === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  }
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? String(value) : dateFormat.format(instant);
}

/** hh:mm dd/mm/yyyy, in Vietnam's time. */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return '';
  const instant = new Date(value);
  return Number.isNaN(instant.getTime())
    ? String(value)
    : `${timeFormat.format(instant)} ${dateFormat.format(instant)}`;
}

const isoDateInVietnam = new Intl.DateTimeFormat('en-CA', {
  timeZone,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's calendar date in Vietnam, as yyyy-mm-dd. */
export function todayInVietnam(now: Date = new Date()): string {
  return isoDateInVietnam.format(now);
}

export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
