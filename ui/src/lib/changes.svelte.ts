// Other clients' changes on a shared server, as the shell announces them (its `records-changed` event, issue 20):
// MainShell notes each, and the screens that show records read `recordsRevision()` in an effect to read them again
// (the member list, a member's page when it is about a changed person, 工作提醒). In a workspace nothing is announced
// and the revision stays 0.

import { untrack } from 'svelte';
import type { RecordsChanged } from './api/types';

const state = $state<{ revision: number; last: RecordsChanged | null; connected: boolean }>({
  revision: 0,
  last: null,
  connected: true,
});

/** How many announcements have arrived since the records were opened. */
export function recordsRevision(): number {
  return state.revision;
}

/** The latest announcement, or `null` before the first. */
export function lastRecordsChanged(): RecordsChanged | null {
  return state.last;
}

/** Whether the server's changes are being followed (false while its connection is lost). */
export function serverConnected(): boolean {
  return state.connected;
}

export function noteRecordsChanged(changed: RecordsChanged): void {
  state.connected = changed.connected;
  // A lost connection changes nothing shown: only the banner says so.
  if (!changed.connected) return;
  state.last = changed;
  state.revision++;
}

/**
 * What the shell itself reads again for an announcement (the screens read their own): the units, when the organisation
 * or anything changed; who is signed in and what they may do, when the user's own account changed (their role or
 * branches, or the connection was made anew).
 */
export function shellRereads(changed: RecordsChanged): { units: boolean; session: boolean } {
  if (!changed.connected) return { units: false, session: false };
  return { units: changed.units || changed.all, session: changed.account };
}

/** Whether the latest announcement concerns this person (or everything). */
export function personChanged(changed: RecordsChanged | null, id: number): boolean {
  return changed !== null && (changed.all || changed.people.includes(id));
}

/** Back to none: the records were locked. */
export function resetRecordsChanged(): void {
  state.revision = 0;
  state.last = null;
  state.connected = true;
}

/**
 * Calls `reread` with each announcement that arrives after the calling component was made (call it while the
 * component initialises: it is an effect of that component, ended with it).
 */
export function whenRecordsChange(reread: (changed: RecordsChanged) => void): void {
  let seen = untrack(() => state.revision);
  $effect(() => {
    const revision = state.revision;
    if (revision === seen) return;
    seen = revision;
    const last = state.last;
    if (last) untrack(() => reread(last));
  });
}
