// Months of party dues as the screens write and read them. A month crosses the bridge as `2026-05` (`Month`); it is
// shown as the office writes it, `2026年5月`, or as `2026-05` in English. The period the 党费 screen asks the core
// about is one month or a whole year. Which months are due, paid or owed is never worked out here: the core's ledger
// and summaries say.

import type { Month } from '../api/types';
import { translate, type Locale } from '../i18n/catalogue';

export type { Month };

/** `2026-05` → `{ year: 2026, month: 5 }`; `null` for anything else. */
function partsOf(month: Month): { year: number; month: number } | null {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return null;
  const [year, n] = [Number(m[1]), Number(m[2])];
  return n >= 1 && n <= 12 ? { year, month: n } : null;
}

function monthOf(year: number, month: number): Month {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** `2026-05` as `2026年5月` (zh-CN) or `2026-05` (en). Something that is not a month is shown as it came. */
export function formatDuesMonth(month: Month, locale: Locale): string {
  const p = partsOf(month);
  if (!p) return month;
  return locale === 'zh-CN' ? `${p.year}年${p.month}月` : monthOf(p.year, p.month);
}

/** The months a payment covers: `2026年5月` for one, `2026年5月至2026年7月` for several. */
export function formatMonthsRange(from: Month, to: Month, locale: Locale): string {
  const first = formatDuesMonth(from, locale);
  return from === to ? first : translate(locale, 'dues.months_range', { from: first, to: formatDuesMonth(to, locale) });
}

/**
 * A month as typed in a form: `2026-05` or `2026-5` (spaces around it allowed), as the bridge's `2026-05`; `null`
 * when it is not one.
 */
export function parseMonth(text: string): Month | null {
  const m = /^(\d{4})-(\d{1,2})$/.exec(text.trim());
  if (!m) return null;
  const [year, n] = [Number(m[1]), Number(m[2])];
  return n >= 1 && n <= 12 ? monthOf(year, n) : null;
}

/** The calendar month after: `2026-12` → `2027-01`. `null` for something that is not a month. */
export function nextMonth(month: Month): Month | null {
  const p = partsOf(month);
  if (!p) return null;
  return p.month === 12 ? monthOf(p.year + 1, 1) : monthOf(p.year, p.month + 1);
}

/** The month of a day `YYYY-MM-DD`: `2026-05-20` → `2026-05`. */
export function monthOfDay(day: string): Month {
  return day.slice(0, 7);
}

/** The months the core is asked about: one month (`month` 1–12), or the whole year when `month` is `null`. */
export function duesPeriod(year: number, month: number | null): { from: Month; to: Month } {
  return month === null ? { from: monthOf(year, 1), to: monthOf(year, 12) } : { from: monthOf(year, month), to: monthOf(year, month) };
}

/** The months of a year, January first, for the period's picker. */
export function monthsOfYear(year: number): Month[] {
  return Array.from({ length: 12 }, (_, i) => monthOf(year, i + 1));
}
