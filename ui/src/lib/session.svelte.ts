// Who is signed in, for every screen to read: set by MainShell after unlocking (`backend().sessionUser()`), cleared
// when it locks. `null` while not known. What it may do (`may`) is read through `access.ts`, which also says what the
// screens show while it is not known.

import type { SessionUser } from './api/types';

const state = $state<{ user: SessionUser | null }>({ user: null });

export function sessionUser(): SessionUser | null {
  return state.user;
}

export function setSessionUser(user: SessionUser | null): void {
  state.user = user;
}
