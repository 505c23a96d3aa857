// Collects the figures as they are measured and renders them as Markdown tables (printed and written to results.md).

export interface Row {
  figure: string;
  what: string;
  value: string;
  against: string;
  ratio: string;
}

export class Report {
  rows: Row[] = [];
  sections: { title: string; body: string }[] = [];
  notes: string[] = [];
  todos: string[] = [];
  context: string[] = [];

  add(figure: string, what: string, value: string, against = '', ratio = '') {
    this.rows.push({ figure, what, value, against, ratio });
  }

  section(title: string, header: string[], rows: string[][], after = '') {
    // A blank line after the table: a line of text right under it would be read as one more row.
    this.sections.push({ title, body: table(header, rows) + (after ? `\n\n${after}\n` : '') });
  }

  /** Rows by figure number (stable: in the order measured within a figure). */
  main(): string {
    const rows = this.rows
      .map((r, i) => ({ r, i }))
      .sort((a, b) => Number(a.r.figure) - Number(b.r.figure) || a.i - b.i)
      .map(({ r }) => r);
    return table(
      ['#', 'figure', 'result', 'measured against (same run)', 'ratio'],
      rows.map((r) => [r.figure, r.what, r.value, r.against, r.ratio]),
    );
  }

  /** Detail sections by their leading figure number; unnumbered ones last. */
  orderedSections() {
    const key = (title: string) => Number.parseInt(title, 10) || 99;
    return this.sections
      .map((s, i) => ({ s, i }))
      .sort((a, b) => key(a.s.title) - key(b.s.title) || a.i - b.i)
      .map(({ s }) => s);
  }

  markdown(title: string, totalLine: string): string {
    const out = [`# ${title}`, '', ...this.context.map((c) => `- ${c}`), '', totalLine, ''];
    if (this.todos.length) out.push(...this.todos.map((t) => `**TODO:** ${t}`), '');
    out.push('## Figures', '', this.main(), '');
    for (const s of this.orderedSections()) out.push(`## ${s.title}`, '', s.body, '');
    if (this.notes.length) out.push('## Notes', '', ...this.notes.map((n) => `- ${n}`), '');
    return out.join('\n');
  }
}

const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

export function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}
