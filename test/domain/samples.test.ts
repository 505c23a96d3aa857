import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { type Dec, type Precision, type Rounding, dec, parseDec, toJsonNumber } from '../../src/domain/decimal.ts';
import {
  type CriterionKind,
  type CriterionNode,
  type LeafScore,
  type Rules,
  type UnitInput,
  type UnitResult,
  computeResults,
} from '../../src/domain/scoring.ts';

// A deliberately minimal reader of the workbook format: just enough to feed the samples to the scoring core.
// The real importer (with its error reporting) lives elsewhere; this one throws on anything unexpected.

type Row = Record<string, string | number | null>;

function cellValue(value: ExcelJS.CellValue): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string')
    return typeof value === 'string' ? value.normalize('NFC').trim() : value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (value instanceof Date) return value.toISOString();
  if ('result' in value) return cellValue((value.result ?? null) as ExcelJS.CellValue);
  if ('richText' in value)
    return value.richText
      .map((part) => part.text)
      .join('')
      .normalize('NFC')
      .trim();
  if ('text' in value) return String(value.text);
  throw new Error(`Unexpected cell ${JSON.stringify(value)}`);
}

function readSheet(workbook: ExcelJS.Workbook, name: string): Row[] {
  const sheet = workbook.getWorksheet(name);
  if (!sheet) return [];
  const header: string[] = [];
  const rows: Row[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) {
      row.eachCell((cell, column) => (header[column] = String(cellValue(cell.value)).toLowerCase()));
      return;
    }
    const record: Row = {};
    header.forEach((key, column) => {
      const value = cellValue(row.getCell(column).value);
      record[key] = value === '' ? null : value;
    });
    if (Object.values(record).some((value) => value !== null)) rows.push(record);
  });
  return rows;
}

const decOrNull = (value: string | number | null | undefined): Dec | null => {
  if (value === null || value === undefined) return null;
  const parsed = parseDec(value);
  if (parsed === null) throw new Error(`Not a score: ${value}`);
  return parsed;
};
const isYes = (value: string | number | null | undefined) => /^(yes|có)$/i.test(String(value ?? '').trim());

async function readWorkbook(url: URL): Promise<{ rules: Rules; criteria: CriterionNode[]; units: UnitInput[] }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await readFile(url)) as unknown as ExcelJS.Buffer);

  const settings = new Map(readSheet(workbook, 'campaign').map((row) => [String(row.key), row.value]));
  const composition = String(settings.get('composition'))
    .split(',')
    .map((pair) => {
      const [key, max] = pair.split(':');
      return { key: key!.trim(), max: dec(max!) };
    });
  const bands = String(settings.get('bands'))
    .split(';')
    .map((pair) => {
      const [name, min] = pair.split(':');
      return { name: name!.trim(), min: dec(min!) };
    });
  const rules: Rules = {
    precision: Number(settings.get('precision') ?? 2) as Precision,
    rounding: (settings.get('rounding') ?? 'half-up') as Rounding,
    composition,
    bands,
  };

  const criteria = readSheet(workbook, 'criteria').map(
    (row): CriterionNode => ({
      code: String(row.code),
      title: String(row.title ?? ''),
      maxScore: decOrNull(row.max_score),
      minScore: decOrNull(row.min_score) ?? dec(0),
      kind: (row.kind ?? 'self') as CriterionKind,
    }),
  );

  const units = new Map<string, UnitInput & { scores: Map<string, LeafScore>; notApplicable: Set<string> }>();
  const unit = (code: string) => {
    let found = units.get(code);
    if (!found) units.set(code, (found = { code, name: code, scores: new Map(), notApplicable: new Set() }));
    return found;
  };
  for (const row of readSheet(workbook, 'units')) unit(String(row.code)).name = String(row.name);
  for (const row of readSheet(workbook, 'scores')) {
    const target = unit(String(row.unit_code));
    const code = String(row.criterion_code);
    if (isYes(row.not_applicable)) target.notApplicable.add(code);
    target.scores.set(code, { self: decOrNull(row.self_score), appraised: decOrNull(row.appraised_score) });
  }
  for (const row of readSheet(workbook, 'survey')) {
    unit(String(row.unit_code)).survey = {
      respondents: Number(row.respondents),
      satisfiedAnswers: Number(row.satisfied_answers),
      questionsPerRespondent: Number(row.questions_per_respondent ?? 8),
    };
  }
  return { rules, criteria, units: [...units.values()] };
}

interface Expected {
  code: string;
  rank: number;
  index: number;
  band: string;
  precision: number;
  components: Record<string, number>;
}

function published(result: UnitResult, precision: Precision) {
  return {
    code: result.code,
    rank: result.rank,
    index: toJsonNumber(result.index, precision),
    band: result.band,
    precision,
    components: Object.fromEntries(
      Object.entries(result.components).map(([key, value]) => [key, toJsonNumber(value, precision)]),
    ),
  };
}

// The sample workbooks and their expected results: test/fixtures/samples/README.md.
const samples = new URL('../fixtures/samples/', import.meta.url);

describe.each(['sample-district-2020', 'sample-province-2023'])('%s', (name) => {
  it('gives exactly the expected rank, index, band and components, in order', async () => {
    const input = await readWorkbook(new URL(`${name}.xlsx`, samples));
    const expected = JSON.parse(await readFile(new URL(`${name}.expected.json`, samples), 'utf8')) as Expected[];
    const results = computeResults(input);
    expect(results.map((result) => published(result, input.rules.precision))).toEqual(expected);
  });
});

describe('the samples exercise what they claim to', () => {
  it('district 2020: the commune without administrative procedures is scored against 34 points instead of 44', async () => {
    const input = await readWorkbook(new URL('sample-district-2020.xlsx', samples));
    const [withoutField3] = computeResults(input).filter((result) => result.code === 'mau-4');
    expect(withoutField3!.applicableMax).toBe(dec(34));
    expect(withoutField3!.fields.find((field) => field.code === '3')).toMatchObject({
      max: dec(10),
      applicableMax: dec(0),
      score: dec(0),
    });
    expect(withoutField3!.criteria.get('3')).toMatchObject({ applicable: false, score: null });
  });

  it('province 2023: exactly two departments lose a thousandth to truncation', async () => {
    const input = await readWorkbook(new URL('sample-province-2023.xlsx', samples));
    const down = computeResults(input);
    const halfUp = computeResults({ ...input, rules: { ...input.rules, rounding: 'half-up' } });
    const differences = down.flatMap((result) => {
      const other = halfUp.find((candidate) => candidate.code === result.code)!;
      return other.index === result.index ? [] : [{ code: result.code, difference: other.index - result.index }];
    });
    expect(differences).toHaveLength(2);
    expect(differences.every(({ difference }) => difference === 1n)).toBe(true);
  });
});
