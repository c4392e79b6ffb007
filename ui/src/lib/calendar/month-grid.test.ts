import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, monthGrid, monthOf, shiftMonth, weekdayOf } from './month-grid';

describe('monthGrid', () => {
  it('starts November 2026 (a Sunday the 1st) on the Monday before', () => {
    const g = monthGrid(2026, 11);
    expect(g.start).toBe('2026-10-26');
    expect(g.end).toBe('2026-12-06');
    expect(g.weeks).toHaveLength(6);
    expect(g.weeks[0]!.map((d) => d.day)).toEqual([26, 27, 28, 29, 30, 31, 1]);
    expect(g.weeks[0]!.map((d) => d.inMonth)).toEqual([false, false, false, false, false, false, true]);
    expect(g.weeks.at(-1)!.map((d) => d.iso)).toEqual([
      '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06',
    ]);
  });

  it('needs only four weeks for February 2027 (28 days, starting on a Monday)', () => {
    const g = monthGrid(2027, 2);
    expect(g.start).toBe('2027-02-01');
    expect(g.end).toBe('2027-02-28');
    expect(g.weeks).toHaveLength(4);
    expect(g.weeks.flat().every((d) => d.inMonth)).toBe(true);
  });

  it('includes the 29th of February in a leap year', () => {
    const g = monthGrid(2028, 2);
    const inMonth = g.weeks.flat().filter((d) => d.inMonth);
    expect(inMonth).toHaveLength(29);
    expect(inMonth.at(-1)!.iso).toBe('2028-02-29');
    expect(g.start).toBe('2028-01-31');
    expect(g.end).toBe('2028-03-05');
  });

  it('crosses the year: December 2026 ends in January 2027', () => {
    const g = monthGrid(2026, 12);
    expect(g.start).toBe('2026-11-30');
    expect(g.end).toBe('2027-01-03');
    expect(g.weeks).toHaveLength(5);
  });

  it('always gives whole weeks, Monday first, every day once', () => {
    for (let m = 1; m <= 12; m++) {
      const days = monthGrid(2026, m).weeks.flat();
      expect(days.length % 7).toBe(0);
      expect(days.every((d, i) => d.weekday === (i % 7) + 1 && weekdayOf(d.iso) === d.weekday)).toBe(true);
      expect(new Set(days.map((d) => d.iso)).size).toBe(days.length);
    }
  });
});

describe('day arithmetic', () => {
  it.each([
    ['2026-11-24', 7, '2026-12-01'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2027-02-28', 1, '2027-03-01'],
    ['2026-03-01', -1, '2026-02-28'],
  ])('%s + %i days is %s', (from, n, to) => {
    expect(addDays(from, n)).toBe(to);
    expect(daysBetween(from, to)).toBe(n);
  });

  it('knows the weekday: 2026-11-24 is a Tuesday, 2026-11-01 a Sunday', () => {
    expect(weekdayOf('2026-11-24')).toBe(2);
    expect(weekdayOf('2026-11-01')).toBe(7);
  });

  it('shifts months across years', () => {
    expect(shiftMonth(2027, 1, -1)).toEqual({ year: 2026, month: 12 });
    expect(shiftMonth(2026, 12, 1)).toEqual({ year: 2027, month: 1 });
    expect(shiftMonth(2026, 11, -23)).toEqual({ year: 2024, month: 12 });
    expect(monthOf('2026-11-24')).toEqual({ year: 2026, month: 11 });
  });
});
