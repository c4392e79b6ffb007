// Saving one file a screen offers (统计: the figures, the annual report, a chart; 工作提醒: the dashboard; 日历: the
// month's deadlines): the save dialog with a default name, then the core writes it. One at a time; the last outcome is
// kept for the screen to say (`SaveStatus`: saved, with the path to open; or the error), until the next save or until
// dismissed. Leaving the save dialog without a path is no outcome at all.

import { toAppError } from '../api/errors';
import { fileStem } from '../dossier';

export type SavePhase =
  | { name: 'idle' }
  | { name: 'saving'; path: string }
  | { name: 'saved'; path: string }
  | { name: 'failed'; error: unknown };

/** What a save needs of the shell, injected so tests need none (`backend().pickSaveFile`, `backend().openPath`). */
export interface SaveShell {
  /** Asks where to save (the save dialog); `null` when the user cancels. */
  pick(defaultName: string): Promise<string | null>;
  /** Opens a saved file with the system's application for it. */
  open(path: string): Promise<unknown>;
}

export class FileSaver {
  phase = $state<SavePhase>({ name: 'idle' });
  /** Why the saved file could not be opened; shown beside the saved path, cleared by the next save or open. */
  openError = $state<unknown>(null);

  /** `onlocked` is told when the core answers that the workspace is locked. */
  constructor(
    private readonly shell: SaveShell,
    private readonly onlocked: () => void,
  ) {}

  get busy(): boolean {
    return this.phase.name === 'saving';
  }

  /** Asks where, then has `write` write there. Ignored while a save runs. */
  async save(defaultName: string, write: (path: string) => Promise<unknown>): Promise<void> {
    if (this.busy) return;
    this.openError = null;
    let path: string | null;
    try {
      path = await this.shell.pick(defaultName);
    } catch (e) {
      this.fail(e);
      return;
    }
    if (!path) return;
    await this.saveTo(path, write);
  }

  /** Has `write` write to a path already known (typed in a path field, or chosen by Browse). Ignored while a save runs. */
  async saveTo(path: string, write: (path: string) => Promise<unknown>): Promise<void> {
    if (this.busy) return;
    this.openError = null;
    this.phase = { name: 'saving', path };
    try {
      await write(path);
      this.phase = { name: 'saved', path };
    } catch (e) {
      this.fail(e);
    }
  }

  /** Opens the file just saved; nothing to open before that. */
  async open(): Promise<void> {
    if (this.phase.name !== 'saved') return;
    this.openError = null;
    try {
      await this.shell.open(this.phase.path);
    } catch (e) {
      if (toAppError(e).kind === 'locked') this.onlocked();
      else this.openError = e;
    }
  }

  dismiss(): void {
    if (this.busy) return;
    this.phase = { name: 'idle' };
    this.openError = null;
  }

  /** A failure before any write (a Browse button's dialog): shown as a save's, or the shell told of a lock. */
  fail(error: unknown): void {
    if (toAppError(error).kind === 'locked') {
      this.phase = { name: 'idle' };
      this.onlocked();
    } else {
      this.phase = { name: 'failed', error };
    }
  }
}

/** A default file name from a title, with what a file system refuses taken out, and its extension. */
export function defaultFileName(title: string, extension: 'xlsx' | 'pdf' | 'png' | 'dangan-member'): string {
  return `${fileStem(title)}.${extension}`;
}
