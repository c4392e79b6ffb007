import { describe, expect, it, vi } from 'vitest';
import { whileMounted } from './while-mounted';

describe('whileMounted', () => {
  it('unsubscribes on cleanup once subscribed', async () => {
    const unlisten = vi.fn();
    const cleanup = whileMounted(() => Promise.resolve(unlisten));
    await Promise.resolve();
    expect(unlisten).not.toHaveBeenCalled();
    cleanup();
    expect(unlisten).toHaveBeenCalledTimes(1);
  });

  it('unsubscribes a subscription that resolves after the component is gone', async () => {
    const unlisten = vi.fn();
    let resolve: (f: () => void) => void = () => {};
    const cleanup = whileMounted(() => new Promise((r) => (resolve = r)));
    cleanup();
    resolve(unlisten);
    await Promise.resolve();
    await Promise.resolve();
    expect(unlisten).toHaveBeenCalledTimes(1);
  });

  it('says so when the shell cannot subscribe', async () => {
    const unavailable = vi.fn();
    whileMounted(() => Promise.reject(new Error('no event bridge')), unavailable);
    await Promise.resolve();
    await Promise.resolve();
    expect(unavailable).toHaveBeenCalledTimes(1);
  });
});
