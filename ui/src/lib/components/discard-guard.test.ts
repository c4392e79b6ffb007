import { describe, expect, it } from 'vitest';
import { DiscardGuard, editorsWithInput, formsWithInput, UnsavedEdits } from './discard-guard.svelte';

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

describe('UnsavedEdits', () => {
  // The count is the app's, shared by every test: each one compares with what it found.
  const counts = () => ({ all: formsWithInput(), editors: editorsWithInput() });

  it('counts an editor once while it holds edits, however often it says so', () => {
    const before = counts();
    const edits = new UnsavedEdits();
    edits.holds(true);
    edits.holds(true);
    expect(counts()).toEqual({ all: before.all + 1, editors: before.editors + 1 });
    edits.holds(false); // saved, or typed back to what was stored
    expect(counts()).toEqual(before);
  });

  it('lets go when the editor is destroyed, and only of what it held', () => {
    const before = counts();
    const held = new UnsavedEdits();
    const clean = new UnsavedEdits();
    held.holds(true);
    clean.holds(false);
    held.release();
    clean.release();
    held.release();
    expect(counts()).toEqual(before);
  });

  it('counts each editor, and a form’s input beside them but not as an editor’s', () => {
    const before = counts();
    const votes = new UnsavedEdits();
    const results = new UnsavedEdits();
    const form = new DiscardGuard(() => {});
    votes.holds(true);
    results.holds(true);
    form.noted();
    expect(counts()).toEqual({ all: before.all + 3, editors: before.editors + 2 });
    votes.release();
    form.dispose();
    expect(counts()).toEqual({ all: before.all + 1, editors: before.editors + 1 });
    results.holds(false);
    expect(counts()).toEqual(before);
  });
});
