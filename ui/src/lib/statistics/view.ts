// What the 统计 screen asks the core: its filters (kept by the shell while the workspace is unlocked, so a drill-down
// and back returns to the same figures), the query they make, and the years the 年报 tab offers. No counting and no
// date arithmetic: the year is the one of the day the core counted to, and the years offered are the ones its
// by-year table lists. (The default file names are `saving/file-saver.svelte.ts`'s.)

import type { Statistics, StatsQuery } from '../api/types';
import { parseIsoDate } from '../i18n/format';

export type StatsTab = 'figures' | 'annual';

export interface StatsFilters {
  /** The unit counted (its whole subtree); `null` for all the session may see. */
  unit: number | null;
  /** The day counted to, `YYYY-MM-DD`; empty for the core's today. */
  asOf: string;
  tab: StatsTab;
  /** The annual report's year; `null` for the year of the day counted to. */
  year: number | null;
}

export function defaultStatsFilters(): StatsFilters {
  return { unit: null, asOf: '', tab: 'figures', year: null };
}

/** The core's question for these filters: an empty day is today (`null`), as the core counts it. */
export function statsQuery(filters: Pick<StatsFilters, 'unit' | 'asOf'>): StatsQuery {
  const day = filters.asOf.trim();
  return { as_of: day === '' ? null : day, unit: filters.unit };
}

/** The year of the day the statistics count to: the annual report's default. */
export function yearOf(asOf: string): number | null {
  return parseIsoDate(asOf)?.year ?? null;
}

/**
 * The years the 年报 tab offers, newest first: those of the by-year table, and each of `include` (the default year,
 * the year chosen) that is not one.
 */
export function annualYears(stats: Statistics | null, ...include: (number | null)[]): number[] {
  const years = new Set<number>();
  for (const row of stats?.tables.find((t) => t.id === 'by_year')?.rows ?? []) {
    const year = Number(row.key);
    if (!row.total && Number.isInteger(year) && /^\d{4}$/.test(row.key)) years.add(year);
  }
  for (const year of include) if (year !== null) years.add(year);
  return [...years].sort((a, b) => b - a);
}

/** A difference as the consistency check shows it: `+2`, `−1` (a minus sign, not a hyphen), `0`. */
export function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${Math.abs(n)}` : '0';
}
