// The set-up tables' rows → the notation the campaign and the criterion keep (src/domain/rules-text.ts).
import { describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/decimal.ts';
import { msg } from '../../src/domain/message.ts';
import { bandsFromRows, compositionFromRows, ruleRows, scoringFromRows } from '../../src/domain/rules-text.ts';

describe('rows to notation', () => {
  it('writes bands and composition with decimal points, skipping empty rows', () => {
    expect(
      bandsFromRows([
        { name: ' Tốt ', min: '82,5' },
        { name: '', min: '' },
        { name: 'Yếu', min: '0' },
      ]),
    ).toEqual({ ok: true, text: 'Tốt:82.5;Yếu:0' });
    expect(
      compositionFromRows([
        { key: 'appraisal', max: '62,5' },
        { key: 'survey', max: '37.5' },
      ]),
    ).toEqual({ ok: true, text: 'appraisal:62.5,survey:37.5' });
  });

  it('names the row and column of each bad cell, and the table for what is wrong as a whole', () => {
    expect(
      bandsFromRows([
        { name: 'Tốt', min: '85' },
        { name: '', min: '70' },
        { name: 'A;B', min: 'x' },
      ]),
    ).toEqual({
      ok: false,
      rows: [
        { row: 1, column: 'name', message: 'bands.row.name' },
        { row: 2, column: 'name', message: 'table.row.semicolon' },
        { row: 2, column: 'min', message: 'bands.row.min' },
      ],
    });
    expect(bandsFromRows([{ name: 'Tốt', min: '85' }])).toEqual({ ok: false, rows: [], table: 'bands.lastZero' });
    expect(bandsFromRows([])).toEqual({ ok: false, rows: [], table: 'bands.rows.empty' });
    expect(compositionFromRows([{ key: 'appraisal', max: '70' }])).toEqual({
      ok: false,
      rows: [],
      table: 'composition.total',
    });
    expect(compositionFromRows([{ key: '', max: '100' }])).toEqual({
      ok: false,
      rows: [{ row: 0, column: 'key', message: 'composition.row.key' }],
    });
  });

  it('writes a scoring rule from its kind and rows, points within the range', () => {
    const range = { minScore: dec('0'), maxScore: dec('1.5') };
    expect(
      scoringFromRows(
        'levels',
        [
          { label: 'Có', points: '1,5' },
          { label: 'Không', points: '0' },
        ],
        [],
        range,
      ),
    ).toEqual({ ok: true, text: 'levels: Có=1.5; Không=0' });
    expect(
      scoringFromRows(
        'ratio',
        [],
        [
          { percent: '100 %', points: '1,5' },
          { percent: '0', points: '0' },
        ],
        range,
      ),
    ).toEqual({ ok: true, text: 'ratio: 100=1.5; 0=0' });
    expect(scoringFromRows('proportional', [], [], range)).toEqual({ ok: true, text: 'proportional' });
    expect(scoringFromRows('', [{ label: 'ignored', points: 'x' }], [], range)).toEqual({ ok: true, text: '' });
    expect(scoringFromRows('levels', [{ label: 'Có', points: '2' }], [], range)).toEqual({
      ok: false,
      rows: [{ row: 0, column: 'points', message: msg('rule.row.range', { name: 'Có', min: 0, max: 1.5 }) }],
    });
    expect(
      scoringFromRows(
        'ratio',
        [],
        [
          { percent: '90', points: '1' },
          { percent: '100', points: '1,5' },
        ],
        range,
      ),
    ).toEqual({ ok: false, rows: [], table: 'rule.rows.order' });
    expect(scoringFromRows('levels', [{ label: '', points: '' }], [], range)).toEqual({
      ok: false,
      rows: [],
      table: 'rule.rows.levelsEmpty',
    });
  });

  it('reads a stored rule back as rows', () => {
    expect(ruleRows('levels: Có=1.5; Không=0')).toEqual({
      kind: 'levels',
      levels: [
        { label: 'Có', points: '1.5' },
        { label: 'Không', points: '0' },
      ],
      thresholds: [],
    });
    expect(ruleRows('ratio: 100=1; 80=0.5; 0=0').thresholds).toEqual([
      { percent: '100', points: '1' },
      { percent: '80', points: '0.5' },
      { percent: '0', points: '0' },
    ]);
    expect(ruleRows(null)).toEqual({ kind: '', levels: [], thresholds: [] });
  });
});
