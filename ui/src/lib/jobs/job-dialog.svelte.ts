// The states of a dialog that runs one long job (an export, a batch of dossiers, a backup): idle, running, done with
// the job's result, cancelled (the worker's choice: a calm notice, with how far the job had come), or failed. The
// dialogs hold one of these instead of each keeping the same machine.

import { toAppError } from '../api/errors';
import type { JobId, JobProgress } from '../api/types';
import { JobRun } from './job-run.svelte';

export type JobPhase<R> =
  | { name: 'idle' }
  | { name: 'running' }
  | { name: 'done'; result: R }
  /** `done`: how far the job had come when it stopped (the files a batch had written, say). */
  | { name: 'cancelled'; done: number }
  | { name: 'failed'; error: unknown };

export class JobDialog<R> {
  phase = $state<JobPhase<R>>({ name: 'idle' });
  readonly job: JobRun;

  constructor(cancelJob: (job: JobId) => Promise<unknown>) {
    this.job = new JobRun(cancelJob);
  }

  get running(): boolean {
    return this.phase.name === 'running';
  }

  /** Runs the job once (not while one runs); the phase follows it. */
  async run(start: (onProgress: (p: JobProgress) => void) => Promise<R>): Promise<void> {
    if (this.running) return;
    this.phase = { name: 'running' };
    try {
      this.phase = { name: 'done', result: await this.job.run(start) };
    } catch (err) {
      this.phase =
        toAppError(err).kind === 'cancelled' ? { name: 'cancelled', done: this.job.progress?.done ?? 0 } : { name: 'failed', error: err };
    }
  }

  /** What the job was given changed (another path): the last result no longer applies. */
  edited(): void {
    if (!this.running) this.phase = { name: 'idle' };
  }

  /** A failure before the job ran (the file dialog, say). */
  fail(error: unknown): void {
    this.phase = { name: 'failed', error };
  }

  cancel(): void {
    if (this.running) void this.job.cancel();
  }
}
