import { describe, expect, it } from 'vitest';
import type { Statistics } from '../api/types';
import { annualYears, defaultStatsFilters, signed, statsQuery, yearOf } from './view';

describe("the screen's first question", () => {
  it('is the statistics as of the core’s today, for everyone the session may see', () => {
    expect(statsQuery(defaultStatsFilters())).toEqual({ as_of: null, unit: null });
  });

  it('names the day and the unit chosen', () => {
    expect(statsQuery({ asOf: ' 2025-12-31 ', unit: 7 })).toEqual({ as_of: '2025-12-31', unit: 7 });
  });
});

describe('the annual report’s year', () => {
  it('is by default the year of the day the statistics count to', () => {
    expect(yearOf('2026-11-24')).toBe(2026);
    expect(yearOf('')).toBeNull();
  });

  const withYears = (keys: string[]): Statistics => ({
    as_of: '2026-11-24', unit: null, unit_name: '', by_stage: { applicant: 0, activist: 0, candidate: 0, probationary: 0, full_member: 0 },
    by_branch: [],
    tables: [{
      id: 'by_year', title: { zh: '', en: '' }, note: { zh: '', en: '' }, columns: [],
      rows: keys.map((key) => ({ key, label: { zh: key, en: key }, values: [], total: key === 'total' })),
    }],
  });

  it('is chosen among the years of the by-year table, newest first, the total row left out', () => {
    expect(annualYears(withYears(['2024', '2025', '2026', 'total']), 2026)).toEqual([2026, 2025, 2024]);
  });

  it('always offers the default year and the year chosen, even before the statistics arrive', () => {
    expect(annualYears(withYears(['2024', '2025']), 2026)).toEqual([2026, 2025, 2024]);
    expect(annualYears(withYears(['2024', '2025']), 2025, 2019)).toEqual([2025, 2024, 2019]);
    expect(annualYears(null, 2026)).toEqual([2026]);
    expect(annualYears(null, null)).toEqual([]);
  });
});

describe('a difference in the consistency check', () => {
  it.each([
    [2, '+2'],
    [-1, '−1'],
    [0, '0'],
  ])('%i reads %s', (n, shown) => {
    expect(signed(n)).toBe(shown);
  });
});
