import { afterEach, describe, expect, it } from 'vitest';
import type { RecordsChanged } from './api/types';
import {
  lastRecordsChanged,
  noteRecordsChanged,
  personChanged,
  recordsRevision,
  resetRecordsChanged,
  serverConnected,
  shellRereads,
} from './changes.svelte';

const changed = (over: Partial<RecordsChanged>): RecordsChanged => ({
  people: [],
  units: false,
  branch_life: false,
  all: false,
  account: false,
  connected: true,
  ...over,
});

afterEach(() => resetRecordsChanged());

describe("others' changes on a shared server, as the shell announces them", () => {
  it('counts each announcement, so the screens read again, and remembers the latest', () => {
    expect(recordsRevision()).toBe(0);
    noteRecordsChanged(changed({ people: [7] }));
    noteRecordsChanged(changed({ people: [9] }));
    expect(recordsRevision()).toBe(2);
    expect(lastRecordsChanged()?.people).toEqual([9]);
  });

  it('says a lost connection without asking anything to be read, and its return', () => {
    noteRecordsChanged(changed({ connected: false }));
    expect(serverConnected()).toBe(false);
    expect(recordsRevision()).toBe(0);
    noteRecordsChanged(changed({ all: true }));
    expect(serverConnected()).toBe(true);
    expect(recordsRevision()).toBe(1);
  });

  it('tells a member’s page whether the change is about them', () => {
    expect(personChanged(null, 7)).toBe(false);
    expect(personChanged(changed({ people: [7, 9] }), 7)).toBe(true);
    expect(personChanged(changed({ people: [9] }), 7)).toBe(false);
    expect(personChanged(changed({ all: true }), 7)).toBe(true);
  });

  it('has the shell read who is signed in only when the user’s own account changed, and the units with the organisation', () => {
    expect(shellRereads(changed({ people: [7] }))).toEqual({ units: false, session: false });
    expect(shellRereads(changed({ units: true }))).toEqual({ units: true, session: false });
    expect(shellRereads(changed({ all: true }))).toEqual({ units: true, session: false });
    expect(shellRereads(changed({ all: true, account: true }))).toEqual({ units: true, session: true });
    expect(shellRereads(changed({ connected: false, account: true }))).toEqual({ units: false, session: false });
  });

  it('starts again at nothing when the records are locked', () => {
    noteRecordsChanged(changed({ connected: false }));
    noteRecordsChanged(changed({ people: [1] }));
    resetRecordsChanged();
    expect([recordsRevision(), lastRecordsChanged(), serverConnected()]).toEqual([0, null, true]);
  });
});
