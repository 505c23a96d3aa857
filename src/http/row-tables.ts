// The set-up forms' small tables of rows (views/partials/row-table.eta): each column is a form field posted once per
// row (`bandName`, `bandName`, …), read back here by position; errors are keyed `<field>-<row>` (the input's id), or
// by the table's name for the table as a whole, so the error summary links to the very cell.
import { msg, say, type FieldErrors } from '../domain/message.ts';
import type { FromRows } from '../domain/rules-text.ts';

/** Empty rows offered under the filled ones; "Thêm dòng" (a submit, no JavaScript needed) offers this many more. */
export const spareRows = 2;
export const addedRows = 3;

/** The field name of each column of a table: `{ name: 'bandName', min: 'bandMin' }`. */
export type Columns<C extends string> = Record<C, string>;

const cells = (value: unknown): string[] =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v : '')) : typeof value === 'string' ? [value] : [];

/** Whether the form posted this table at all (one of its fields is there). */
export function posted<C extends string>(body: unknown, columns: Columns<C>): boolean {
  const raw = (body ?? {}) as Record<string, unknown>;
  return Object.values<string>(columns).some((field) => raw[field] !== undefined);
}

/** The rows as posted, every row kept (empty ones too) so that "row 3" is the third row the person saw. */
export function readRows<C extends string>(body: unknown, columns: Columns<C>): Record<C, string>[] {
  const raw = (body ?? {}) as Record<string, unknown>;
  const byColumn = Object.entries<string>(columns).map(([column, field]) => [column, cells(raw[field])] as const);
  const count = Math.min(100, Math.max(0, ...byColumn.map(([, values]) => values.length)));
  return Array.from(
    { length: count },
    (_, i) => Object.fromEntries(byColumn.map(([column, values]) => [column, values[i] ?? ''])) as Record<C, string>,
  );
}

/** Rows to show: those given, then `extra` empty ones (and a few whenever there would be none at all). */
export function withSpareRows<C extends string>(
  rows: Record<C, string>[],
  columns: Columns<C>,
  extra: number,
): Record<C, string>[] {
  const empty = () => Object.fromEntries(Object.keys(columns).map((c) => [c, ''])) as Record<C, string>;
  const shown = [...rows];
  const wanted = rows.length + (rows.length === 0 ? Math.max(extra, spareRows) : extra);
  while (shown.length < wanted) shown.push(empty());
  return shown;
}

/** A table's problems as field errors: each cell's under its input's id ("Dòng 2: …"), the table's under its name. */
export function rowErrors<C extends string>(table: string, columns: Columns<C>, outcome: FromRows): FieldErrors {
  if (outcome.ok) return {};
  const errors: FieldErrors = {};
  for (const issue of outcome.rows) {
    const field = columns[issue.column as C] ?? table;
    errors[`${field}-${issue.row}`] ??= msg('table.row', { row: issue.row + 1, message: say(issue.message) });
  }
  if (outcome.table) errors[table] = outcome.table;
  return errors;
}
