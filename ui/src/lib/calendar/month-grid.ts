// Day arithmetic on `YYYY-MM-DD` strings and the month grid of the calendar screen (Monday first, whole weeks).
//
// Pure and in UTC, so that a date never shifts with the computer's time zone or a daylight-saving change.

export interface GridDay {
  /** `YYYY-MM-DD` */
  iso: string;
  /** Day of the month, 1–31. */
  day: number;
  /** Whether the day belongs to the month shown (the first and last weeks spill into the neighbours). */
  inMonth: boolean;
  /** 1 = Monday … 7 = Sunday (ISO 8601). */
  weekday: number;
}

export interface MonthGrid {
  year: number;
  /** 1–12 */
  month: number;
  /** The first and last day of the grid: the range to ask the backend for. */
  start: string;
  end: string;
  /** 4 to 6 weeks of 7 days, Monday first. */
  weeks: GridDay[][];
}

const DAY_MS = 86_400_000;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function toUtc(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
}

function fromUtc(dt: Date): string {
  return `${dt.getUTCFullYear()}-${pad(dt.getUTCMonth() + 1)}-${pad(dt.getUTCDate())}`;
}

export function isoOf(year: number, month: number, day: number): string {
  return `${year}-${pad(month)}-${pad(day)}`;
}

export function addDays(iso: string, days: number): string {
  return fromUtc(new Date(toUtc(iso).getTime() + days * DAY_MS));
}

/** Whole days from `from` to `to`: negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to).getTime() - toUtc(from).getTime()) / DAY_MS);
}

/** 1 = Monday … 7 = Sunday. */
export function weekdayOf(iso: string): number {
  const d = toUtc(iso).getUTCDay();
  return d === 0 ? 7 : d;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The month `delta` months from `year`-`month`, e.g. January 2027 − 1 = December 2026. */
export function shiftMonth(year: number, month: number, delta: number): { year: number; month: number } {
  const index = year * 12 + (month - 1) + delta;
  return { year: Math.floor(index / 12), month: (((index % 12) + 12) % 12) + 1 };
}

/** The month a day falls in. */
export function monthOf(iso: string): { year: number; month: number } {
  const [y, m] = iso.split('-').map(Number) as [number, number];
  return { year: y, month: m };
}

/** The weeks that show `year`-`month`: from the Monday on or before the 1st to the Sunday on or after the last day. */
export function monthGrid(year: number, month: number): MonthGrid {
  const first = isoOf(year, month, 1);
  const last = isoOf(year, month, daysInMonth(year, month));
  const start = addDays(first, 1 - weekdayOf(first));
  const end = addDays(last, 7 - weekdayOf(last));
  const weeks: GridDay[][] = [];
  for (let day = start; day <= end; day = addDays(day, 7)) {
    const week: GridDay[] = [];
    for (let i = 0; i < 7; i++) {
      const iso = addDays(day, i);
      const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
      week.push({ iso, day: d, inMonth: y === year && m === month, weekday: i + 1 });
    }
    weeks.push(week);
  }
  return { year, month, start, end, weeks };
}
