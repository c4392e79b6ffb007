// A path field's Browse button: the shell's file dialog (open or save), the path chosen written into the field.

import { showUnlessLocked } from '../api/errors';

/**
 * Opens the file dialog `pick` and hands the path chosen to `chosen`; leaving the dialog changes nothing. A failure
 * goes to `failed`, except a locked workspace, which goes to `onlocked`.
 */
export async function browseFor(
  pick: () => Promise<string | null>,
  chosen: (path: string) => void,
  onlocked: () => void,
  failed: (e: unknown) => void,
): Promise<void> {
  try {
    const path = await pick();
    if (path) chosen(path);
  } catch (e) {
    showUnlessLocked(e, onlocked, failed);
  }
}
