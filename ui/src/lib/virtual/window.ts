// The arithmetic of a virtualised list with fixed-height rows: from the scroll position, which rows to put in the
// DOM and which pages to fetch. Pure, so it is tested without a browser.

export interface WindowInput {
  /** The scroll container's scrollTop, in px. */
  scrollTop: number;
  /** The scroll container's visible height, in px. */
  viewportHeight: number;
  /** Every row's height, in px. */
  rowHeight: number;
  /** Rows in the whole list (`MemberPage.total`). */
  total: number;
  /** Rows per `listMembers` call. */
  pageSize: number;
  /** Extra rows rendered above and below the visible ones, so a fast scroll shows no blank edge. */
  overscan: number;
}

export interface VisibleWindow {
  /** First row to render (inclusive). */
  start: number;
  /** Row after the last one to render (exclusive); `start === end` when there is nothing to render. */
  end: number;
  /** Indices of the pages that hold rows `start..end`, ascending. */
  pages: number[];
  /** Where row `start` sits from the top of the content, in px. */
  offsetY: number;
  /** Height of the whole list's content, in px: it gives the scrollbar its true size. */
  totalHeight: number;
}

export function computeWindow(i: WindowInput): VisibleWindow {
  const rowHeight = Math.max(1, i.rowHeight);
  const total = Math.max(0, Math.floor(i.total));
  const totalHeight = total * rowHeight;
  if (total === 0) return { start: 0, end: 0, pages: [], offsetY: 0, totalHeight: 0 };
  // A scrollTop past the end happens briefly when the list shrinks (a new search): clamp it.
  const maxScroll = Math.max(0, totalHeight - i.viewportHeight);
  const scrollTop = Math.min(Math.max(0, i.scrollTop), maxScroll);
  const first = Math.floor(scrollTop / rowHeight);
  // +1: a partly scrolled viewport shows one more row than fits whole.
  const visible = Math.ceil(Math.max(0, i.viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, first - i.overscan);
  const end = Math.min(total, first + visible + i.overscan);
  return { start, end, pages: pagesFor(start, end, i.pageSize), offsetY: start * rowHeight, totalHeight };
}

/** The pages (of `pageSize` rows) that hold rows `start..end` (end exclusive). */
export function pagesFor(start: number, end: number, pageSize: number): number[] {
  if (end <= start) return [];
  const size = Math.max(1, pageSize);
  const pages: number[] = [];
  for (let p = Math.floor(start / size); p <= Math.floor((end - 1) / size); p++) pages.push(p);
  return pages;
}

/**
 * The scrollTop that brings row `index` fully into view, moving as little as possible: unchanged if the row is
 * already visible, otherwise aligning it to the top or bottom edge. Used by the arrow keys.
 */
export function scrollToReveal(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}

/** Moves a selection by `delta` rows within `0..total-1`; from no selection, goes to the first row. */
export function moveSelection(selected: number | null, delta: number, total: number): number | null {
  if (total <= 0) return null;
  if (selected === null) return 0;
  return Math.min(total - 1, Math.max(0, selected + delta));
}
