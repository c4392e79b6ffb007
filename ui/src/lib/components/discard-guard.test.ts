import { describe, expect, it } from 'vitest';
import { DiscardGuard } from './discard-guard.svelte';

describe('DiscardGuard', () => {
  it('closes at once when nothing was entered', () => {
    let closed = 0;
    const guard = new DiscardGuard(() => closed++);
    guard.request(false);
    expect(closed).toBe(1);
    expect(guard.confirming).toBe(false);
  });

  it('asks before throwing away what was entered, and closes only when told to', () => {
    let closed = 0;
    const guard = new DiscardGuard(() => closed++);
    guard.noted();
    guard.request(false);
    expect(closed).toBe(0);
    expect(guard.confirming).toBe(true);
    guard.keepEditing();
    expect(guard.confirming).toBe(false);
    guard.request(false);
    guard.request(false); // asked again while the question stands: the answer is to close
    expect(closed).toBe(1);
  });

  it('typing again takes the question back', () => {
    const guard = new DiscardGuard(() => {});
    guard.noted();
    guard.request(false);
    guard.noted();
    expect(guard.confirming).toBe(false);
  });

  it('never closes while a save runs, and not after the form shows its outcome', () => {
    let closed = 0;
    const guard = new DiscardGuard(() => closed++);
    guard.noted();
    guard.request(true);
    expect(closed).toBe(0);
    expect(guard.confirming).toBe(false);
    guard.request(false, false);
    expect(closed).toBe(1);
  });
});
