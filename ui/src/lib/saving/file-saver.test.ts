import { describe, expect, it, vi } from 'vitest';
import { appError } from '../api/errors';
import { defaultFileName, FileSaver, type SaveShell } from './file-saver.svelte';

/** A shell whose save dialog answers `path` (or throws it) and whose open does what `open` does. */
function shell(path: string | null | Error, open: SaveShell['open'] = async () => {}): SaveShell {
  return {
    pick: vi.fn(async () => {
      if (path instanceof Error) throw path;
      return path;
    }),
    open: vi.fn(open),
  };
}

describe('saving a file a screen offers', () => {
  it('asks where with the default name, writes there, and says where it went', async () => {
    const s = shell('/home/李/工作提醒 2026-11-24.xlsx');
    const write = vi.fn(async () => {});
    const saver = new FileSaver(s, () => {});
    await saver.save('工作提醒 2026-11-24.xlsx', write);
    expect(s.pick).toHaveBeenCalledWith('工作提醒 2026-11-24.xlsx');
    expect(write).toHaveBeenCalledWith('/home/李/工作提醒 2026-11-24.xlsx');
    expect(saver.phase).toEqual({ name: 'saved', path: '/home/李/工作提醒 2026-11-24.xlsx' });
    saver.dismiss();
    expect(saver.phase).toEqual({ name: 'idle' });
  });

  it('does nothing when the save dialog is left without a path', async () => {
    const write = vi.fn(async () => {});
    const saver = new FileSaver(shell(null), () => {});
    await saver.save('图.png', write);
    expect(write).not.toHaveBeenCalled();
    expect(saver.phase).toEqual({ name: 'idle' });
  });

  it("keeps the core's refusal to show, and tells the shell when the workspace is locked", async () => {
    const refusal = appError('invalid_input', 'the chart’s picture is not a valid PNG');
    const onlocked = vi.fn();
    const saver = new FileSaver(shell('/tmp/图.png'), onlocked);
    await saver.save('图.png', async () => {
      throw refusal;
    });
    expect(saver.phase).toEqual({ name: 'failed', error: refusal });
    expect(onlocked).not.toHaveBeenCalled();
    await saver.save('图.png', async () => {
      throw appError('locked', 'locked');
    });
    expect(onlocked).toHaveBeenCalledOnce();
    expect(saver.phase).toEqual({ name: 'idle' });
  });

  it('shows a save dialog that failed to open as the outcome', async () => {
    const broken = new Error('no dialog');
    const saver = new FileSaver(shell(broken), () => {});
    await saver.save('期限 2026年11月.xlsx', async () => {});
    expect(saver.phase).toEqual({ name: 'failed', error: broken });
  });

  it('writes to a path typed in a field without the save dialog', async () => {
    const s = shell('/never/asked.docx');
    const write = vi.fn(async () => {});
    const saver = new FileSaver(s, () => {});
    await saver.saveTo('/home/李/发展对象公示.docx', write);
    expect(s.pick).not.toHaveBeenCalled();
    expect(write).toHaveBeenCalledWith('/home/李/发展对象公示.docx');
    expect(saver.phase).toEqual({ name: 'saved', path: '/home/李/发展对象公示.docx' });
    const refusal = appError('invalid_input', 'a document is saved as .docx or .pdf');
    await saver.saveTo('/home/李/公示.txt', async () => {
      throw refusal;
    });
    expect(saver.phase).toEqual({ name: 'failed', error: refusal });
  });

  it('saves one file at a time', async () => {
    let finish = () => {};
    const s: SaveShell = { pick: vi.fn(async (name: string) => `/tmp/${name}`), open: async () => {} };
    const saver = new FileSaver(s, () => {});
    const first = saver.save('a.pdf', () => new Promise<void>((done) => (finish = done)));
    await vi.waitFor(() => expect(saver.busy).toBe(true));
    await saver.save('b.pdf', async () => {});
    expect(s.pick).toHaveBeenCalledTimes(1);
    expect(saver.phase).toEqual({ name: 'saving', path: '/tmp/a.pdf' });
    saver.dismiss();
    expect(saver.phase).toEqual({ name: 'saving', path: '/tmp/a.pdf' });
    finish();
    await first;
    expect(saver.phase).toEqual({ name: 'saved', path: '/tmp/a.pdf' });
  });
});

describe('opening the file just saved', () => {
  it('opens the saved path, and nothing before a save', async () => {
    const s = shell('/tmp/期限 2026年11月.xlsx');
    const saver = new FileSaver(s, () => {});
    await saver.open();
    expect(s.open).not.toHaveBeenCalled();
    await saver.save('期限 2026年11月.xlsx', async () => {});
    await saver.open();
    expect(s.open).toHaveBeenCalledWith('/tmp/期限 2026年11月.xlsx');
    expect(saver.openError).toBeNull();
  });

  it('keeps why it could not open until the next save or dismiss', async () => {
    const refusal = appError('io', 'no application for .xlsx');
    const s = shell('/tmp/a.xlsx', async () => {
      throw refusal;
    });
    const saver = new FileSaver(s, () => {});
    await saver.save('a.xlsx', async () => {});
    await saver.open();
    expect(saver.openError).toBe(refusal);
    expect(saver.phase).toEqual({ name: 'saved', path: '/tmp/a.xlsx' });
    await saver.save('b.xlsx', async () => {});
    expect(saver.openError).toBeNull();
    await saver.open();
    expect(saver.openError).toBe(refusal);
    saver.dismiss();
    expect(saver.openError).toBeNull();
  });

  it('tells the shell when the workspace locked meanwhile, and keeps the saved path', async () => {
    const onlocked = vi.fn();
    const s = shell('/tmp/a.xlsx', async () => {
      throw appError('locked', 'locked');
    });
    const saver = new FileSaver(s, onlocked);
    await saver.save('a.xlsx', async () => {});
    await saver.open();
    expect(onlocked).toHaveBeenCalledOnce();
    expect(saver.openError).toBeNull();
    expect(saver.phase).toEqual({ name: 'saved', path: '/tmp/a.xlsx' });
  });
});

describe('default file names', () => {
  it('are the title with its extension, without what a file system refuses', () => {
    expect(defaultFileName('党员发展统计 2026-11-24', 'xlsx')).toBe('党员发展统计 2026-11-24.xlsx');
    expect(defaultFileName('2026年度党内统计', 'pdf')).toBe('2026年度党内统计.pdf');
    expect(defaultFileName('学生/教工: 人数', 'png')).toBe('学生_教工_ 人数.png');
    expect(defaultFileName('期限 2026年11月', 'xlsx')).toBe('期限 2026年11月.xlsx');
  });
});
