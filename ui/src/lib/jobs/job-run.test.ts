import { describe, expect, it } from 'vitest';
import type { JobProgress } from '../api/types';
import { JobRun } from './job-run.svelte';

const at = (job: number, done: number, total: number): JobProgress => ({ job, done, total, unit: 'rows', waiting: false });

describe('a job run', () => {
  it('cancels its job by the id the shell reported', async () => {
    const cancelled: number[] = [];
    const run = new JobRun(async (job) => cancelled.push(job));
    let report!: (p: JobProgress) => void;
    let finish!: (v: string) => void;
    const result = run.run((onProgress) => {
      report = onProgress;
      return new Promise<string>((resolve) => (finish = resolve));
    });
    report(at(7, 0, 0));
    report(at(7, 50, 200));
    expect(run.percent).toBe(25);
    await run.cancel();
    await run.cancel();
    expect(cancelled).toEqual([7]);
    finish('done');
    expect(await result).toBe('done');
    expect(run.running).toBe(false);
  });

  it('sends a cancel asked before the shell named the job as soon as it does', async () => {
    const cancelled: number[] = [];
    const run = new JobRun(async (job) => cancelled.push(job));
    let report!: (p: JobProgress) => void;
    void run.run((onProgress) => {
      report = onProgress;
      return new Promise(() => {});
    });
    await run.cancel();
    expect(cancelled).toEqual([]);
    report(at(3, 0, 0));
    report(at(3, 1, 10));
    expect(cancelled).toEqual([3]);
  });

  it('knows no percentage before the total and starts clear on the next run', async () => {
    const run = new JobRun(async () => {});
    await run.run(async (onProgress) => onProgress(at(1, 0, 0)));
    expect(run.percent).toBeNull();
    expect(run.cancelling).toBe(false);
    await run.cancel();
    expect(run.cancelling).toBe(false);
  });
});
