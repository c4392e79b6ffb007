import { afterEach, describe, expect, it, vi } from 'vitest';
import { appError } from '../api/errors';
import { setLocale } from '../i18n/index.svelte';
import { FormRefusal } from './form-refusal.svelte';

const refused = (field: string) =>
  appError('invalid_input', '有效期应为 1 到 90 天', { field, reason_zh: '有效期应为 1 到 90 天', reason_en: 'the validity must be 1 to 90 days' });

afterEach(() => setLocale('zh-CN'));

describe('a form shows the core’s refusal', () => {
  it('beside the field the core named, in the language chosen, and not again at the foot', async () => {
    const form = new FormRefusal(['to', 'validity', 'date']);
    await form.submit(() => Promise.reject(refused('validity')), () => {});
    expect(form.reason('validity')).toBe('有效期应为 1 到 90 天');
    expect(form.reason('date')).toBeNull();
    expect(form.general).toBeNull();
    setLocale('en');
    expect(form.reason('validity')).toBe('the validity must be 1 to 90 days');
  });

  it('at the foot when the field named is not one of the form’s, or no field is named', async () => {
    const form = new FormRefusal(['to']);
    await form.submit(() => Promise.reject(refused('member')), () => {});
    expect(form.reason('member')).toBeNull();
    expect(form.general).toMatchObject({ kind: 'invalid_input' });
    await form.submit(() => Promise.reject(appError('forbidden', '无权操作')), () => {});
    expect(form.general).toMatchObject({ kind: 'forbidden' });
  });

  it('hands the answer on, and forgets the last refusal when it saves again', async () => {
    const form = new FormRefusal(['to']);
    await form.submit(() => Promise.reject(refused('to')), () => {});
    const done = vi.fn();
    await form.submit(() => Promise.resolve({ id: 4 }), done);
    expect(done).toHaveBeenCalledWith({ id: 4 });
    expect(form.error).toBeNull();
  });

  it('goes back to the unlock screen when the workspace was locked, showing nothing', async () => {
    const onlocked = vi.fn();
    const form = new FormRefusal(['to'], onlocked);
    const done = vi.fn();
    await form.submit(() => Promise.reject(appError('locked', '已锁定')), done);
    expect(onlocked).toHaveBeenCalledTimes(1);
    expect([form.error, done.mock.calls.length]).toEqual([null, 0]);
  });

  it('shows a lock like any refusal when it has nowhere to send it', async () => {
    const form = new FormRefusal(['to']);
    await form.submit(() => Promise.reject(appError('locked', '已锁定')), () => {});
    expect(form.general).toMatchObject({ kind: 'locked' });
  });

  it('turns what is not the core’s error into one', async () => {
    const form = new FormRefusal([]);
    await form.submit(() => Promise.reject(new Error('command not found')), () => {});
    expect(form.general).toEqual({ kind: 'internal', message: 'command not found', details: null });
  });
});
