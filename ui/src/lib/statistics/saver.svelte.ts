// Saving one file the 统计 screen offers (the figures or the annual report as a workbook or PDF, a chart as PNG or
// PDF): the save dialog with a default name, then the core writes it. One at a time; the last outcome is kept for the
// screen to say (saved, with the path to open; or the error), until the next save or until dismissed. Leaving the
// save dialog without a path is no outcome at all.

import { toAppError } from '../api/errors';

export type SavePhase =
  | { name: 'idle' }
  | { name: 'saving'; path: string }
  | { name: 'saved'; path: string }
  | { name: 'failed'; error: unknown };

export class FileSaver {
  phase = $state<SavePhase>({ name: 'idle' });

  /**
   * `pick` asks where to save (the shell's save dialog), `null` when the user cancels; `onlocked` is told when the
   * core answers that the workspace is locked.
   */
  constructor(
    private readonly pick: (defaultName: string) => Promise<string | null>,
    private readonly onlocked: () => void,
  ) {}

  get busy(): boolean {
    return this.phase.name === 'saving';
  }

  /** Asks where, then has `write` write there. Ignored while a save runs. */
  async save(defaultName: string, write: (path: string) => Promise<unknown>): Promise<void> {
    if (this.busy) return;
    let path: string | null;
    try {
      path = await this.pick(defaultName);
    } catch (e) {
      this.fail(e);
      return;
    }
    if (!path) return;
    this.phase = { name: 'saving', path };
    try {
      await write(path);
      this.phase = { name: 'saved', path };
    } catch (e) {
      this.fail(e);
    }
  }

  dismiss(): void {
    if (!this.busy) this.phase = { name: 'idle' };
  }

  private fail(error: unknown): void {
    if (toAppError(error).kind === 'locked') {
      this.phase = { name: 'idle' };
      this.onlocked();
    } else {
      this.phase = { name: 'failed', error };
    }
  }
}
