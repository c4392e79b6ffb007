// Who is signed in, for every screen to read: set by MainShell after unlocking (`backend().sessionUser()`), cleared
// when it locks. `null` while not known; see `access.ts` for what the screens show then.

import type { Role, SessionUser } from './api/types';

const state = $state<{ user: SessionUser | null }>({ user: null });

export function sessionUser(): SessionUser | null {
  return state.user;
}

export function sessionRole(): Role | null {
  return state.user?.role ?? null;
}

export function setSessionUser(user: SessionUser | null): void {
  state.user = user;
}
