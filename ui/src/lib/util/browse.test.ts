import { describe, expect, it, vi } from 'vitest';
import { appError } from '../api/errors';
import { browseFor } from './browse';

describe('a Browse button', () => {
  const run = async (pick: () => Promise<string | null>) => {
    const [chosen, onlocked, failed] = [vi.fn(), vi.fn(), vi.fn()];
    await browseFor(pick, chosen, onlocked, failed);
    return { chosen: chosen.mock.calls, locked: onlocked.mock.calls.length, failed: failed.mock.calls };
  };

  it('writes the path chosen into the field, and nothing when the dialog was left', async () => {
    expect(await run(() => Promise.resolve('/tmp/周九.dangan-member'))).toEqual({ chosen: [['/tmp/周九.dangan-member']], locked: 0, failed: [] });
    expect(await run(() => Promise.resolve(null))).toEqual({ chosen: [], locked: 0, failed: [] });
  });

  it('shows why the dialog could not open, and goes to the unlock screen when the workspace was locked', async () => {
    const io = appError('io', '无法打开对话框');
    expect(await run(() => Promise.reject(io))).toEqual({ chosen: [], locked: 0, failed: [[io]] });
    expect(await run(() => Promise.reject(appError('locked', '已锁定')))).toEqual({ chosen: [], locked: 1, failed: [] });
  });
});
