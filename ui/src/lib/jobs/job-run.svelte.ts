// One run of a long job (an import, an export, a batch of dossiers, a backup, a restore) as a dialog holds it: the
// progress the shell reports, and cancel by the job's id. The shell names the job in its first report, sent before
// any work; a cancel asked before that arrives is sent as soon as it does.

import type { JobId, JobProgress } from '../api/types';

export class JobRun {
  progress = $state<JobProgress | null>(null);
  running = $state(false);
  cancelling = $state(false);

  /** Sends the cancel to the shell (`backend().cancelJob`), injected so tests need no shell. */
  constructor(private readonly cancelJob: (job: JobId) => Promise<unknown>) {}

  /** Runs `start` with the progress callback to hand the backend; resolves or rejects as the job does. */
  async run<T>(start: (onProgress: (p: JobProgress) => void) => Promise<T>): Promise<T> {
    this.progress = null;
    this.cancelling = false;
    this.running = true;
    try {
      return await start((p) => {
        const first = this.progress === null;
        this.progress = p;
        if (first && this.cancelling) void this.cancelJob(p.job);
      });
    } finally {
      this.running = false;
    }
  }

  /** Asks the shell to stop the job; it then rejects with `cancelled`. */
  async cancel(): Promise<void> {
    if (!this.running || this.cancelling) return;
    this.cancelling = true;
    if (this.progress) await this.cancelJob(this.progress.job);
  }

  /** How far, in whole percent; `null` while the total is not known. */
  get percent(): number | null {
    const p = this.progress;
    return p && p.total > 0 ? Math.min(100, Math.round((100 * p.done) / p.total)) : null;
  }
}
