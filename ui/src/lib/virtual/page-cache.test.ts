import { describe, expect, it } from 'vitest';
import { PageCache } from './page-cache';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('PageCache', () => {
  it('fetches a page once, even when asked twice before it arrives', async () => {
    const cache = new PageCache<number>(10);
    const calls: number[] = [];
    const fetch = async (p: number) => {
      calls.push(p);
      return { total: 100, items: Array.from({ length: 10 }, (_, i) => p * 10 + i) };
    };
    cache.ensure([0, 1], fetch, () => {});
    cache.ensure([1, 2], fetch, () => {});
    await flush();
    expect(calls).toEqual([0, 1, 2]);
    expect(cache.row(15)).toBe(15);
    cache.ensure([1], fetch, () => {});
    expect(calls).toEqual([0, 1, 2]);
  });

  it('drops an answer that arrives after a reset (a stale search)', async () => {
    const cache = new PageCache<string>(10);
    const slow = deferred<{ total: number; items: string[] }>();
    const arrived: number[] = [];
    cache.ensure([0], () => slow.promise, (p) => arrived.push(p));
    cache.reset();
    slow.resolve({ total: 1, items: ['old'] });
    await flush();
    expect(arrived).toEqual([]);
    expect(cache.row(0)).toBeUndefined();
  });

  it('keeps at most maxPages pages, never evicting the ones asked for', async () => {
    const cache = new PageCache<number>(10, 3);
    const fetch = async (p: number) => ({ total: 1000, items: [p] });
    for (let p = 0; p < 10; p++) {
      cache.ensure([p], fetch, () => {});
      await flush();
    }
    expect(cache.size).toBe(3);
    expect(cache.has(9)).toBe(true);
    expect(cache.has(0)).toBe(false);
  });

  it('reports a failed fetch and tries again next time', async () => {
    const cache = new PageCache<number>(10);
    let fail = true;
    const errors: unknown[] = [];
    const fetch = async () => {
      if (fail) throw new Error('boom');
      return { total: 1, items: [7] };
    };
    cache.ensure([0], fetch, () => {}, (e) => errors.push(e));
    await flush();
    expect(errors).toHaveLength(1);
    fail = false;
    cache.ensure([0], fetch, () => {});
    await flush();
    expect(cache.row(0)).toBe(7);
  });
});
