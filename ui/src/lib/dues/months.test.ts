import { describe, expect, it } from 'vitest';
import { duesPeriod, formatDuesMonth, formatMonthsRange, monthOfDay, monthsOfYear, nextMonth, parseMonth } from './months';

describe('a month as the office writes it', () => {
  it('reads 2026年5月 in Chinese and 2026-05 in English', () => {
    expect(formatDuesMonth('2026-05', 'zh-CN')).toBe('2026年5月');
    expect(formatDuesMonth('2026-12', 'zh-CN')).toBe('2026年12月');
    expect(formatDuesMonth('2026-05', 'en')).toBe('2026-05');
  });

  it('shows what is not a month as it came, rather than a wrong month', () => {
    expect(formatDuesMonth('2026-13', 'zh-CN')).toBe('2026-13');
    expect(formatDuesMonth('May', 'zh-CN')).toBe('May');
  });
});

describe('the months a payment covers', () => {
  it('reads as one month, or from the first to the last', () => {
    expect(formatMonthsRange('2026-05', '2026-05', 'zh-CN')).toBe('2026年5月');
    expect(formatMonthsRange('2026-05', '2026-07', 'zh-CN')).toBe('2026年5月至2026年7月');
    expect(formatMonthsRange('2026-11', '2027-01', 'en')).toBe('2026-11 to 2027-01');
  });
});

describe('a month typed in a form', () => {
  it.each([
    ['2026-05', '2026-05'],
    ['2026-5', '2026-05'],
    [' 2026-12 ', '2026-12'],
  ])('"%s" is the month %s', (typed, month) => {
    expect(parseMonth(typed)).toBe(month);
  });

  it.each(['', '2026', '2026-00', '2026-13', '2026/05', '26-05', '2026-05-01', '2026年5月'])('"%s" is not a month', (typed) => {
    expect(parseMonth(typed)).toBeNull();
  });
});

describe('the months around one', () => {
  it('steps into the next year after December', () => {
    expect(nextMonth('2026-05')).toBe('2026-06');
    expect(nextMonth('2026-12')).toBe('2027-01');
    expect(nextMonth('not a month')).toBeNull();
  });

  it('takes the month of a day', () => {
    expect(monthOfDay('2026-05-20')).toBe('2026-05');
  });

  it('lists a year January first, for the period picker', () => {
    const months = monthsOfYear(2026);
    expect(months).toHaveLength(12);
    expect([months[0], months[11]]).toEqual(['2026-01', '2026-12']);
  });
});

describe('the period the 党费 screen asks the core about', () => {
  it('is one month when a month is chosen, the whole year otherwise', () => {
    expect(duesPeriod(2026, 5)).toEqual({ from: '2026-05', to: '2026-05' });
    expect(duesPeriod(2026, null)).toEqual({ from: '2026-01', to: '2026-12' });
  });
});
