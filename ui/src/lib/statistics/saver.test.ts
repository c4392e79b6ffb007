import { describe, expect, it, vi } from 'vitest';
import { appError } from '../api/errors';
import { FileSaver } from './saver.svelte';

describe('saving a file of the 统计 screen', () => {
  it('asks where with the default name, writes there, and says where it went', async () => {
    const pick = vi.fn(async () => '/home/李/党员发展统计 2026-11-24.xlsx');
    const write = vi.fn(async () => {});
    const saver = new FileSaver(pick, () => {});
    await saver.save('党员发展统计 2026-11-24.xlsx', write);
    expect(pick).toHaveBeenCalledWith('党员发展统计 2026-11-24.xlsx');
    expect(write).toHaveBeenCalledWith('/home/李/党员发展统计 2026-11-24.xlsx');
    expect(saver.phase).toEqual({ name: 'saved', path: '/home/李/党员发展统计 2026-11-24.xlsx' });
    saver.dismiss();
    expect(saver.phase).toEqual({ name: 'idle' });
  });

  it('does nothing when the save dialog is left without a path', async () => {
    const write = vi.fn(async () => {});
    const saver = new FileSaver(async () => null, () => {});
    await saver.save('图.png', write);
    expect(write).not.toHaveBeenCalled();
    expect(saver.phase).toEqual({ name: 'idle' });
  });

  it("keeps the core's refusal to show, and tells the shell when the workspace is locked", async () => {
    const refusal = appError('invalid_input', 'the chart’s picture is not a valid PNG');
    const onlocked = vi.fn();
    const saver = new FileSaver(async () => '/tmp/图.png', onlocked);
    await saver.save('图.png', async () => {
      throw refusal;
    });
    expect(saver.phase).toEqual({ name: 'failed', error: refusal });
    await saver.save('图.png', async () => {
      throw appError('locked', 'locked');
    });
    expect(onlocked).toHaveBeenCalledOnce();
    expect(saver.phase).toEqual({ name: 'idle' });
  });

  it('saves one file at a time', async () => {
    let finish = () => {};
    const pick = vi.fn(async (name: string) => `/tmp/${name}`);
    const saver = new FileSaver(pick, () => {});
    const first = saver.save('a.pdf', () => new Promise<void>((done) => (finish = done)));
    await vi.waitFor(() => expect(saver.busy).toBe(true));
    await saver.save('b.pdf', async () => {});
    expect(pick).toHaveBeenCalledTimes(1);
    expect(saver.phase).toEqual({ name: 'saving', path: '/tmp/a.pdf' });
    finish();
    await first;
    expect(saver.phase).toEqual({ name: 'saved', path: '/tmp/a.pdf' });
  });
});
