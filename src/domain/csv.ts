// CSV fields that a spreadsheet cannot run (OWASP "CSV Injection"): every CSV the portal writes goes through here.

/** Characters that make Excel, LibreOffice or Google Sheets read a text cell as a formula (or a DDE call). */
const formulaStart = /^[=+\-@\t\r]/;

/**
 * One CSV field. Numbers stay numbers (-1.5 is written -1.5); text starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return gets a leading `'` and quotes, so that a spreadsheet shows it as the text it is; text with a quote, a comma or a
 * line break is quoted (RFC 4180); null is empty.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  if (formulaStart.test(value)) return `"'${value.replaceAll('"', '""')}"`;
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One CSV line (without its line break). */
export function csvLine(values: readonly (string | number | null)[]): string {
  return values.map(csvField).join(',');
}
