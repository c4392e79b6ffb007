import { describe, expect, it } from 'vitest';
import { ERROR_KINDS } from '../api/domain';
import { appError } from '../api/errors';
import { CATALOGUES, LOCALES } from './catalogue';
import { ERROR_MESSAGE_KEYS, describeError } from './errors';

describe('error kind → message', () => {
  it.each(ERROR_KINDS.flatMap((kind) => LOCALES.map((locale) => [kind, locale] as const)))(
    '%s has a non-empty message in %s',
    (kind, locale) => {
      const key = ERROR_MESSAGE_KEYS[kind];
      expect(CATALOGUES[locale][key]?.trim()).toBeTruthy();
      expect(describeError(appError(kind, 'x'), locale).title).toBe(CATALOGUES[locale][key]);
    },
  );

  it('gives every kind its own message', () => {
    const titles = ERROR_KINDS.map((k) => CATALOGUES['zh-CN'][ERROR_MESSAGE_KEYS[k]]);
    expect(new Set(titles).size).toBe(ERROR_KINDS.length);
  });

  it('says 口令错误 for a wrong passphrase', () => {
    expect(describeError(appError('wrong_passphrase', 'hmac check failed'), 'zh-CN')).toEqual({
      title: '口令错误',
      lines: [],
    });
  });

  it('lists each broken rule in the current language', () => {
    const e = appError('violations', 'talk_after_application', [
      { rule: 'talk_after_application', field: 'date', clause: '第七条', message_zh: '谈话不得早于申请入党日期（第七条）', message_en: 'Talk before application (art. 7)' },
    ]);
    expect(describeError(e, 'zh-CN').lines).toEqual(['谈话不得早于申请入党日期（第七条）']);
    expect(describeError(e, 'en').lines).toEqual(['Talk before application (art. 7)']);
  });

  it('adds the clause when a rule message does not name it', () => {
    const e = appError('violations', 'r', [
      { rule: 'r', field: 'date', clause: '第十三条', message_zh: '须经一年以上培养', message_en: 'Needs a year' },
    ]);
    expect(describeError(e, 'zh-CN').lines).toEqual(['须经一年以上培养（第十三条）']);
  });

  it('gives the reason of invalid input', () => {
    const e = appError('invalid_input', 'bad', { field: 'name', reason_zh: '请填写姓名', reason_en: 'Enter the name' });
    expect(describeError(e, 'en')).toEqual({ title: 'Some input is not valid', lines: ['Enter the name'] });
  });

  it('gives the core’s reason for refusing own study: the day named, or every bad row of a sheet', () => {
    const twice = appError('invalid_input', 'x', {
      field: 'date', reason_zh: '2026年3月5日的「学习强国专题」已经记录过', reason_en: '“学习强国专题” on 2026-03-05 is already recorded',
    });
    expect(describeError(twice, 'zh-CN').lines).toEqual(['2026年3月5日的「学习强国专题」已经记录过']);
    const sheet = appError('invalid_input', 'x', {
      field: 'sheet', reason_zh: '第 3 行：2026年3月5日的个人学习合计超过 24 小时', reason_en: 'row 3: the own study on 2026-03-05 adds up to more than 24 hours',
    });
    expect(describeError(sheet, 'en').lines).toEqual(['row 3: the own study on 2026-03-05 adds up to more than 24 hours']);
  });

  it('shows every bad row of a refused sheet, one a line', () => {
    const dues = appError('invalid_input', 'x', {
      field: 'sheet',
      reason_zh: '第 3 行：在册人员中没有「张三」；第 7 行：交纳日期「昨天」无法识别',
      reason_en: 'row 3: nobody in the register is “张三”; row 7: the day paid “昨天” is not a date',
    });
    expect(describeError(dues, 'zh-CN')).toEqual({
      title: '输入有误',
      lines: ['第 3 行：在册人员中没有「张三」', '第 7 行：交纳日期「昨天」无法识别'],
    });
    expect(describeError(dues, 'en').lines).toEqual(['row 3: nobody in the register is “张三”', 'row 7: the day paid “昨天” is not a date']);
  });

  it('splits no other field’s reason', () => {
    const e = appError('invalid_input', 'x', { field: 'topic', reason_zh: '主题；议程', reason_en: 'topic; agenda' });
    expect(describeError(e, 'en').lines).toEqual(['topic; agenda']);
  });

  it('shows the backend message of an io error as a detail', () => {
    expect(describeError(appError('io', 'permission denied: /x.xlsx'), 'zh-CN').lines).toEqual([
      '详细信息：permission denied: /x.xlsx',
    ]);
  });

  it('turns anything that is not an BridgeError into internal', () => {
    expect(describeError('command list_members not found', 'en')).toEqual({
      title: 'Internal error',
      lines: ['Details: command list_members not found'],
    });
    expect(describeError({ kind: 'no_such_kind', message: 'm' }, 'en').title).toBe('Internal error');
  });
});
