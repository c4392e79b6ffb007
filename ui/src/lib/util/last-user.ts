// The user name last used to unlock each workspace on this computer, kept in the web view's storage so the unlock
// screen can offer it again. Empty (nothing kept) means "whoever the passphrase belongs to". Not a secret: the names
// are on the users' list anyway. Kept per workspace (by its folder, as the shell reports it): a name from another
// workspace is not a user here, and offering it only leads to 用户名或口令错误.

const STORAGE_PREFIX = 'dangan.user:';

function storageKey(workspace: string): string {
  return STORAGE_PREFIX + workspace;
}

/** The name last used to unlock `workspace`; empty for a workspace not unlocked with a name before. */
export function loadLastUser(
  workspace: string,
  storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage,
): string {
  try {
    return storage?.getItem(storageKey(workspace))?.trim() ?? '';
  } catch {
    return '';
  }
}

/** Keeps `name` for the next unlock of `workspace`; an empty name forgets the last one. */
export function saveLastUser(
  workspace: string,
  name: string,
  storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined = globalThis.localStorage,
): void {
  try {
    const clean = name.trim();
    if (clean) storage?.setItem(storageKey(workspace), clean);
    else storage?.removeItem(storageKey(workspace));
  } catch {
    // Storage can be unavailable: the name is simply not offered next time.
  }
}
