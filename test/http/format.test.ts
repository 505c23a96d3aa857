import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime } from '../../src/domain/dates.ts';
import { formatScore } from '../../src/domain/decimal.ts';

describe('numbers and dates as the pages print them', () => {
  it("takes decimal strings and JSON numbers alike, in the reader's style", () => {
    expect(formatScore('96.120', 'vi')).toBe('96,12');
    expect(formatScore(96.12, 'vi')).toBe('96,12');
    expect(formatScore(0.5, 'en')).toBe('0.5');
    expect(formatScore('24.000', 'vi')).toBe('24');
    expect(formatScore(null, 'vi')).toBe('');
  });

  it("prints dates dd/mm/yyyy in Vietnam's time, from a calendar date or an instant", () => {
    expect(formatDate('2024-12-20')).toBe('20/12/2024');
    expect(formatDate('2024-12-19 18:30:00+00')).toBe('20/12/2024');
    expect(formatDateTime(new Date('2024-12-19T18:30:00Z'))).toBe('01:30 20/12/2024');
  });
});
