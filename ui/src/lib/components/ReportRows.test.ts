// ReportRows rendered on the server (the tests run without a DOM): a long report list shows its first page and says
// how many rows are left, a short one shows every row and no "show more".

import { createRawSnippet } from 'svelte';
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { setLocale } from '../i18n/index.svelte';
import ReportRows from './ReportRows.svelte';
import { REPORT_PAGE, shownRows } from './report-rows';

const head = createRawSnippet(() => ({ render: () => '<tr><th>行号</th></tr>' }));
const row = createRawSnippet((n: () => number) => ({ render: () => `<tr data-testid="line" data-row="${n()}"><td>${n()}</td></tr>` }));

function rowsOf(html: string): number[] {
  return [...html.matchAll(/data-testid="line" data-row="(\d+)"/g)].map((m) => Number(m[1]));
}

describe('a report list', () => {
  setLocale('zh-CN');

  it('of 100,000 rows shows the first page in order and says how many are shown', () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => i + 1);
    const html = render(ReportRows<number>, { props: { rows, head, row, testid: 'late' } }).body;
    expect(rowsOf(html)).toEqual(rows.slice(0, REPORT_PAGE));
    expect(html).toContain(`data-testid="late-more" data-left="${100_000 - REPORT_PAGE}"`);
    expect(html).toContain(`已显示 ${REPORT_PAGE} 条，共 100000 条`);
    expect(html).toContain(`再显示 ${REPORT_PAGE} 条`);
  });

  it('short enough shows every row and no "show more"', () => {
    const rows = Array.from({ length: REPORT_PAGE }, (_, i) => i + 1);
    const html = render(ReportRows<number>, { props: { rows, head, row, testid: 'late' } }).body;
    expect(rowsOf(html)).toEqual(rows);
    expect(html).not.toContain('late-more');
  });

  it('grows a page at a time, to the last row and no further', () => {
    const rows = Array.from({ length: 2 * REPORT_PAGE + 7 }, (_, i) => i);
    expect(shownRows(rows, 1)).toHaveLength(REPORT_PAGE);
    expect(shownRows(rows, 2)).toEqual(rows.slice(0, 2 * REPORT_PAGE));
    expect(shownRows(rows, 3)).toEqual(rows);
    expect(shownRows(rows, 9)).toEqual(rows);
  });
});
