// Locale-aware formatting of dates, without Intl, so the output is the same in every webview and in tests.

import type { Locale } from './catalogue';

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const EN_MONTHS_LONG = [
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December',
] as const;

/** Parses `YYYY-MM-DD` into its parts, checking that the day exists (no 2026-02-30). */
export function parseIsoDate(iso: string): { year: number; month: number; day: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return { year, month, day };
}

/**
 * `2026-11-24` → `2026年11月24日` (zh-CN) or `24 Nov 2026` (en). A string that is not a valid date is returned
 * unchanged, so bad data stays visible rather than disappearing.
 */
export function formatDate(iso: string, locale: Locale): string {
  const d = parseIsoDate(iso);
  if (!d) return iso;
  if (locale === 'zh-CN') return `${d.year}年${d.month}月${d.day}日`;
  return `${d.day} ${EN_MONTHS[d.month - 1]} ${d.year}`;
}

/** A calendar's title: `2026年11月` (zh-CN) or `November 2026` (en). `month` is 1–12. */
export function formatMonth(year: number, month: number, locale: Locale): string {
  if (locale === 'zh-CN') return `${year}年${month}月`;
  return `${EN_MONTHS_LONG[month - 1] ?? month} ${year}`;
}

/** A moment in local time: `2026年11月24日 08:30` (zh-CN) or `24 Nov 2026 08:30` (en). */
export function formatDateTime(d: Date, locale: Locale): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const day = formatDate(`${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`, locale);
  return `${day} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/**
 * An instant as the core writes it (`2026-11-24T00:30:00Z`, UTC) in local time, as `formatDateTime`. A string that is
 * not one is returned unchanged.
 */
export function formatInstant(iso: string, locale: Locale): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(iso)) return iso;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : formatDateTime(d, locale);
}

/**
 * Days between the shell's today and this machine's, as the shell last said (`WorkspaceStatus.today`): zero unless
 * the shell's clock is fixed (`DANGAN_TODAY`, for tests). Dates the UI proposes then agree with the dates the core
 * checks them against.
 */
let shellOffsetDays = 0;

/** Takes the shell's today, so that `todayIso` follows it (and keeps following it as days pass). */
export function setShellToday(iso: string, now: Date = new Date()): void {
  const shell = parseIsoDate(iso);
  if (!shell) return;
  const local = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  shellOffsetDays = Math.round((Date.UTC(shell.year, shell.month - 1, shell.day) - local) / 86_400_000);
}

/** Today as `YYYY-MM-DD` in local time, as the shell counts it. */
export function todayIso(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const day = new Date(now.getFullYear(), now.getMonth(), now.getDate() + shellOffsetDays);
  return `${day.getFullYear()}-${p(day.getMonth() + 1)}-${p(day.getDate())}`;
}
