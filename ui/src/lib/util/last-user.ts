// The user name last used to unlock on this computer, kept in the web view's storage so the unlock screen can offer
// it again. Empty (nothing kept) means "whoever the passphrase belongs to". Not a secret: the names are on the
// users' list anyway.

const STORAGE_KEY = 'dangan.user';

export function loadLastUser(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): string {
  try {
    return storage?.getItem(STORAGE_KEY)?.trim() ?? '';
  } catch {
    return '';
  }
}

/** Keeps `name` for the next unlock; an empty name forgets the last one. */
export function saveLastUser(
  name: string,
  storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined = globalThis.localStorage,
): void {
  try {
    const clean = name.trim();
    if (clean) storage?.setItem(STORAGE_KEY, clean);
    else storage?.removeItem(STORAGE_KEY);
  } catch {
    // Storage can be unavailable: the name is simply not offered next time.
  }
}
