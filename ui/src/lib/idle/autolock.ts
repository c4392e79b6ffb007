// Auto-lock: after a stretch with no keyboard or pointer activity the records are locked (the shell drops the key,
// the core zeroises it) and the unlock screen returns. The stretch is the user's choice, kept in this web view's
// storage; 10 minutes unless changed, `null` for never.

export const AUTOLOCK_CHOICES: readonly (number | null)[] = [5, 10, 30, 60, null];
export const DEFAULT_AUTOLOCK_MINUTES = 10;
const STORAGE_KEY = 'dangan.autolock.minutes';

/** The chosen minutes, or `null` for never; the default when nothing valid is stored. */
export function loadAutolockMinutes(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): number | null {
  const stored = storage?.getItem(STORAGE_KEY);
  if (stored === 'never') return null;
  const minutes = Number(stored);
  return stored !== null && stored !== undefined && Number.isFinite(minutes) && minutes > 0 ? minutes : DEFAULT_AUTOLOCK_MINUTES;
}

export function saveAutolockMinutes(
  minutes: number | null,
  storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage,
): void {
  storage?.setItem(STORAGE_KEY, minutes === null ? 'never' : String(minutes));
}

/** How long before locking the user is warned (a form half filled in would go with the lock). */
export const WARN_BEFORE_MS = 60_000;

/** Whether the lock is near: idle for all but the last minute of the chosen stretch (and not yet locked). */
export function lockingSoon(lastActivityMs: number, nowMs: number, minutes: number | null): boolean {
  return minutes !== null && nowMs - lastActivityMs >= minutes * 60_000 - WARN_BEFORE_MS && !idleTooLong(lastActivityMs, nowMs, minutes);
}

/** Whether the records should lock now: idle for at least the chosen minutes. */
export function idleTooLong(lastActivityMs: number, nowMs: number, minutes: number | null): boolean {
  return minutes !== null && nowMs - lastActivityMs >= minutes * 60_000;
}
