import { describe, expect, it } from 'vitest';
import { computeWindow, moveSelection, pagesFor, scrollToReveal } from './window';

const base = { rowHeight: 36, viewportHeight: 360, pageSize: 100, overscan: 5 };

describe('computeWindow', () => {
  it('renders nothing for an empty list', () => {
    expect(computeWindow({ ...base, scrollTop: 0, total: 0 })).toEqual({
      start: 0,
      end: 0,
      pages: [],
      offsetY: 0,
      totalHeight: 0,
    });
  });

  it('at the top renders the visible rows plus overscan below, from page 0', () => {
    // 360 / 36 = 10 rows visible, +1 partly visible, +5 overscan.
    expect(computeWindow({ ...base, scrollTop: 0, total: 100_000 })).toEqual({
      start: 0,
      end: 16,
      pages: [0],
      offsetY: 0,
      totalHeight: 3_600_000,
    });
  });

  it('in the middle of 100,000 rows renders a few dozen rows and fetches only their pages', () => {
    const w = computeWindow({ ...base, scrollTop: 36 * 50_000, total: 100_000 });
    expect(w.start).toBe(49_995);
    expect(w.end).toBe(50_016);
    expect(w.pages).toEqual([499, 500]);
    expect(w.offsetY).toBe(49_995 * 36);
    expect(w.end - w.start).toBeLessThan(30);
  });

  it('across a page boundary asks for both pages', () => {
    const w = computeWindow({ ...base, scrollTop: 36 * 95, total: 1000 });
    expect(w.pages).toEqual([0, 1]);
  });

  it('at the bottom stops at the last row', () => {
    const w = computeWindow({ ...base, scrollTop: 36 * 990, total: 1000 });
    expect(w.end).toBe(1000);
    expect(w.pages).toEqual([9]);
  });

  it('clamps a scrollTop left over from a longer list', () => {
    const w = computeWindow({ ...base, scrollTop: 36 * 50_000, total: 12 });
    expect(w).toMatchObject({ start: 0, end: 12, pages: [0], offsetY: 0, totalHeight: 432 });
  });

  it('shows every row of a list shorter than the viewport', () => {
    expect(computeWindow({ ...base, scrollTop: 0, total: 3 })).toMatchObject({ start: 0, end: 3, pages: [0] });
  });
});

describe('pagesFor', () => {
  it.each([
    [0, 100, [0]],
    [99, 101, [0, 1]],
    [250, 450, [2, 3, 4]],
    [5, 5, []],
  ])('rows %i..%i are on pages %j', (start, end, pages) => {
    expect(pagesFor(start, end, 100)).toEqual(pages);
  });
});

describe('scrollToReveal', () => {
  it('keeps the scroll when the row is visible', () => {
    expect(scrollToReveal(3, 0, 360, 36)).toBe(0);
  });
  it('scrolls up to a row above the viewport', () => {
    expect(scrollToReveal(2, 360, 360, 36)).toBe(72);
  });
  it('scrolls down just enough for a row below the viewport', () => {
    expect(scrollToReveal(10, 0, 360, 36)).toBe(36);
  });
});

describe('moveSelection', () => {
  it('starts at the first row', () => expect(moveSelection(null, 1, 10)).toBe(0));
  it('moves down and up', () => {
    expect(moveSelection(4, 1, 10)).toBe(5);
    expect(moveSelection(4, -1, 10)).toBe(3);
  });
  it('stops at both ends', () => {
    expect(moveSelection(9, 1, 10)).toBe(9);
    expect(moveSelection(0, -1, 10)).toBe(0);
  });
  it('selects nothing in an empty list', () => expect(moveSelection(3, 1, 0)).toBeNull());
});
