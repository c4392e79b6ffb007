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

  it('beside each field a broken rule names, citing its clause, and the rules that name no field at the foot', async () => {
    const rule = (field: string, zh: string, en: string, clause = '') => ({ rule: 'r', field, clause, message_zh: zh, message_en: en });
    const form = new FormRefusal(['birth_date', 'admitted', 'id_number']);
    const broken = [
      rule('birth_date', '申请入党时未满十八岁', 'under eighteen when applying', '党章第一条'),
      rule('admitted', '接收预备党员前须经一年以上培养', 'a year as an activist first'),
      rule('admitted', '须经政治审查', 'the political review first'),
      rule('applicant_talk', '缺少谈话', 'no talk'),
    ];
    await form.submit(() => Promise.reject(appError('violations', '不符合规定', broken)), () => {});
    expect(form.reason('birth_date')).toBe('申请入党时未满十八岁（党章第一条）');
    expect(form.reason('admitted')).toBe('接收预备党员前须经一年以上培养 须经政治审查');
    expect([form.reason('id_number'), form.reason('applicant_talk')]).toEqual([null, null]);
    expect(form.general).toEqual({ kind: 'violations', message: '不符合规定', details: [broken[3]] });
    setLocale('en');
    expect(form.reason('birth_date')).toBe('under eighteen when applying');

    await form.submit(() => Promise.reject(appError('violations', '不符合规定', broken.slice(0, 2))), () => {});
    expect(form.general).toBeNull();
    const elsewhere = appError('violations', '不符合规定', broken.slice(3));
    await form.submit(() => Promise.reject(elsewhere), () => {});
    expect(form.general).toEqual(elsewhere);
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
