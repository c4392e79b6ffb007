// Pages of a list fetched on demand and kept for reuse, for the virtualised member list.
//
// A cache belongs to one query: a new search or filter makes a new generation, and answers that arrive for an
// old generation are dropped, so a slow page of the previous search never lands in the new list. The cache keeps
// at most `maxPages` pages, forgetting the least recently used, so scrolling through 100,000 rows stays small.

export type PageFetcher<T> = (page: number) => Promise<{ total: number; items: T[] }>;

export class PageCache<T> {
  private pages = new Map<number, T[]>();
  private inflight = new Set<number>();
  private generation = 0;

  constructor(
    readonly pageSize: number,
    private readonly maxPages = 40,
  ) {}

  /** Forgets everything (a new query). Answers to requests made before this call are ignored. */
  reset(): void {
    this.generation++;
    this.pages.clear();
    this.inflight.clear();
  }

  /** The row at `index`, or `undefined` if its page has not arrived. */
  row(index: number): T | undefined {
    const page = Math.floor(index / this.pageSize);
    return this.pages.get(page)?.[index - page * this.pageSize];
  }

  has(page: number): boolean {
    return this.pages.has(page);
  }

  get size(): number {
    return this.pages.size;
  }

  /**
   * Fetches each of `pages` that is neither cached nor already requested. `onPage` runs when a page of the
   * current generation arrives, with the total it reported; `onError` when a fetch fails.
   */
  ensure(
    pages: number[],
    fetch: PageFetcher<T>,
    onPage: (page: number, total: number) => void,
    onError: (e: unknown) => void = () => {},
  ): void {
    for (const page of pages) {
      if (this.pages.has(page)) {
        this.touch(page);
        continue;
      }
      if (this.inflight.has(page)) continue;
      this.inflight.add(page);
      const generation = this.generation;
      fetch(page).then(
        (res) => {
          if (generation !== this.generation) return;
          this.inflight.delete(page);
          this.pages.set(page, res.items);
          this.evict(pages);
          onPage(page, res.total);
        },
        (e: unknown) => {
          if (generation !== this.generation) return;
          this.inflight.delete(page);
          onError(e);
        },
      );
    }
  }

  /** Seeds a page that was fetched elsewhere (the first page of a new query). */
  put(page: number, items: T[]): void {
    this.pages.set(page, items);
    this.evict([page]);
  }

  private touch(page: number): void {
    const items = this.pages.get(page);
    if (items) {
      this.pages.delete(page);
      this.pages.set(page, items);
    }
  }

  /** Drops the least recently used pages beyond `maxPages`, never one of `keep` (the visible ones). */
  private evict(keep: number[]): void {
    for (const page of this.pages.keys()) {
      if (this.pages.size <= this.maxPages) break;
      if (!keep.includes(page)) this.pages.delete(page);
    }
  }
}
