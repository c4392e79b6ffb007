// How a long report list is paged ([`ReportRows.svelte`]): the rows shown after `pages` pages of `REPORT_PAGE`.

/** Rows a report table shows at first, and how many more each "show more" adds. */
export const REPORT_PAGE = 200;

/** The first `pages` pages of `rows`. */
export function shownRows<T>(rows: readonly T[], pages: number): readonly T[] {
  const count = Math.max(1, pages) * REPORT_PAGE;
  return rows.length <= count ? rows : rows.slice(0, count);
}
