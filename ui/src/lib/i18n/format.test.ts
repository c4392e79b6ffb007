import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatInstant, formatMonth, parseIsoDate, setShellToday, todayIso } from './format';

describe('formatDate', () => {
  it.each([
    ['2026-11-24', '2026年11月24日', '24 Nov 2026'],
    ['2026-03-05', '2026年3月5日', '5 Mar 2026'],
    ['2024-02-29', '2024年2月29日', '29 Feb 2024'],
    ['1999-12-31', '1999年12月31日', '31 Dec 1999'],
    ['2025-01-01', '2025年1月1日', '1 Jan 2025'],
  ])('%s reads %s in Chinese and %s in English', (iso, zh, en) => {
    expect(formatDate(iso, 'zh-CN')).toBe(zh);
    expect(formatDate(iso, 'en')).toBe(en);
  });

  it.each(['', '2026-13-01', '2026-02-30', '2025-02-29', '24/11/2026', '2026-1-5', 'garbage'])(
    'leaves the invalid date %j unchanged, so bad data stays visible',
    (bad) => {
      expect(formatDate(bad, 'zh-CN')).toBe(bad);
      expect(formatDate(bad, 'en')).toBe(bad);
    },
  );
});

describe('formatMonth', () => {
  it.each([
    [2026, 11, '2026年11月', 'November 2026'],
    [2027, 1, '2027年1月', 'January 2027'],
  ])('%i-%i reads %s in Chinese and %s in English', (y, m, zh, en) => {
    expect(formatMonth(y, m, 'zh-CN')).toBe(zh);
    expect(formatMonth(y, m, 'en')).toBe(en);
  });
});

describe('parseIsoDate', () => {
  it('accepts a real day and rejects one that does not exist', () => {
    expect(parseIsoDate('2026-11-24')).toEqual({ year: 2026, month: 11, day: 24 });
    expect(parseIsoDate('2026-11-31')).toBeNull();
  });
});

describe('todayIso', () => {
  it('pads month and day', () => {
    expect(todayIso(new Date(2026, 0, 5))).toBe('2026-01-05');
  });
});

describe('formatDateTime and formatInstant', () => {
  it('writes a local moment to the minute, with leading zeros', () => {
    expect(formatDateTime(new Date(2026, 10, 24, 8, 30, 59), 'zh-CN')).toBe('2026年11月24日 08:30');
    expect(formatDateTime(new Date(2026, 0, 5, 23, 5), 'en')).toBe('5 Jan 2026 23:05');
  });

  it('shows the core’s UTC instant in local time', () => {
    const at = '2026-11-24T00:30:00Z';
    expect(formatInstant(at, 'zh-CN')).toBe(formatDateTime(new Date(Date.UTC(2026, 10, 24, 0, 30)), 'zh-CN'));
    const local = new Date(at);
    const minutes = local.getHours() * 60 + local.getMinutes();
    expect(minutes).toBe((30 - local.getTimezoneOffset() + 1440) % 1440);
  });

  it.each(['', '2026-11-24', 'yesterday', '2026-11-24 08:30'])('leaves %j unchanged', (bad) => {
    expect(formatInstant(bad, 'zh-CN')).toBe(bad);
  });
});

describe('setShellToday', () => {
  it('makes todayIso follow the shell, days passing included, and back', () => {
    const now = new Date(2026, 11, 5, 10, 0);
    setShellToday('2026-11-24', now);
    expect(todayIso(now)).toBe('2026-11-24');
    // A day later on this machine is a day later for the shell too.
    expect(todayIso(new Date(2026, 11, 6, 9, 0))).toBe('2026-11-25');
    setShellToday('2026-12-05', now);
    expect(todayIso(now)).toBe('2026-12-05');
    setShellToday('not a date', now);
    expect(todayIso(now)).toBe('2026-12-05');
  });
});
