import { describe, expect, it, vi } from 'vitest';
import { askLatest } from './latest';

/** A question the test answers (or refuses) when it likes. */
function question<T>() {
  let answer: (v: T) => void = () => {};
  let refuse: (e: unknown) => void = () => {};
  const promise = new Promise<T>((resolve, reject) => {
    answer = resolve;
    refuse = reject;
  });
  return { ask: () => promise, answer, refuse };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('askLatest', () => {
  it('hands on the answer and says when it is no longer asking', async () => {
    const q = question<number>();
    const seen: unknown[] = [];
    askLatest(q.ask, { answer: (v) => seen.push(v), failed: (e) => seen.push(['failed', e]), loading: (b) => seen.push(b) });
    expect(seen).toEqual([true]);
    q.answer(42);
    await settle();
    expect(seen).toEqual([true, 42, false]);
  });

  it('hands on a failure instead', async () => {
    const q = question<number>();
    const failed = vi.fn();
    askLatest(q.ask, { answer: () => {}, failed });
    q.refuse({ kind: 'forbidden' });
    await settle();
    expect(failed).toHaveBeenCalledWith({ kind: 'forbidden' });
  });

  it('drops the answer to a question a newer one overtook, so the older figures never come back', async () => {
    const [first, second] = [question<string>(), question<string>()];
    let shown = '';
    const on = { answer: (v: string) => (shown = v), failed: () => {} };
    const stop = askLatest(first.ask, on);
    stop();
    askLatest(second.ask, on);
    second.answer('2027');
    await settle();
    first.answer('2026');
    first.refuse('too late');
    await settle();
    expect(shown).toBe('2027');
  });

  it('is not loading once cleaned up, though the stale question is still out', async () => {
    const q = question<number>();
    const loading: boolean[] = [];
    const stop = askLatest(q.ask, { answer: () => {}, failed: () => {}, loading: (b) => loading.push(b) });
    stop();
    q.answer(1);
    await settle();
    expect(loading).toEqual([true, false]);
  });
});
