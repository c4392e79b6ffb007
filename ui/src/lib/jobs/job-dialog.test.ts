import { describe, expect, it } from 'vitest';
import { appError } from '../api/errors';
import { JobDialog } from './job-dialog.svelte';

describe("a job dialog's states", () => {
  it('runs to done with the result, and an edit clears it', async () => {
    const dialog = new JobDialog<number>(async () => true);
    await dialog.run(async (onProgress) => {
      onProgress({ job: 1, done: 0, total: 3, unit: 'rows', waiting: false });
      return 3;
    });
    expect(dialog.phase).toEqual({ name: 'done', result: 3 });
    dialog.edited();
    expect(dialog.phase).toEqual({ name: 'idle' });
  });

  it('says how far a cancelled job had come, and a failure is kept with its error', async () => {
    const dialog = new JobDialog<number>(async () => true);
    await dialog.run(async (onProgress) => {
      onProgress({ job: 2, done: 4, total: 9, unit: 'dossiers', waiting: false });
      throw appError('cancelled', 'stopped');
    });
    expect(dialog.phase).toEqual({ name: 'cancelled', done: 4 });
    const boom = appError('io', 'disk full');
    await dialog.run(async () => {
      throw boom;
    });
    expect(dialog.phase).toEqual({ name: 'failed', error: boom });
  });

  it('runs one job at a time and cancels the running one by its id', async () => {
    const cancelled: number[] = [];
    const dialog = new JobDialog<number>(async (id) => cancelled.push(id));
    let finish!: (n: number) => void;
    const first = dialog.run((onProgress) => {
      onProgress({ job: 5, done: 0, total: 0, unit: 'bytes', waiting: false });
      return new Promise<number>((resolve) => (finish = resolve));
    });
    let second = false;
    await dialog.run(async () => {
      second = true;
      return 0;
    });
    expect(second).toBe(false);
    dialog.cancel();
    expect(cancelled).toEqual([5]);
    finish(1);
    await first;
    expect(dialog.running).toBe(false);
  });
});
