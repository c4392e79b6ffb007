import { describe, expect, it } from 'vitest';
import { translate } from '../i18n/catalogue';
import { fenOf, yuan } from './money';

describe('amounts are shown in yuan with two decimals', () => {
  it.each([
    [420000, '4200.00'],
    [4250, '42.50'],
    [5, '0.05'],
    [0, '0.00'],
    [-150, '-1.50'],
  ])('%i fen reads %s', (fen, shown) => {
    expect(yuan(fen)).toBe(shown);
  });
});

describe('a yuan amount typed in a form is read in whole fen, exactly', () => {
  it.each([
    ['42.5', 4250],
    ['42.50', 4250],
    ['4200', 420000],
    ['0', 0],
    ['0.1', 10],
    ['0.07', 7],
    [' 4200.5 ', 420050],
    ['4200元', 420000],
    ['4,200.50', 420050],
    ['4，200', 420000],
    ['999999999999.99', 99999999999999],
  ])('"%s" is %i fen', (typed, fen) => {
    expect(fenOf(typed)).toEqual({ fen });
  });

  it('never goes through a floating-point sum: 0.29 yuan is 29 fen, not 28.999…', () => {
    expect(fenOf('0.29')).toEqual({ fen: 29 });
    expect(fenOf('1.15')).toEqual({ fen: 115 });
  });

  it.each([
    ['', 'dues.yuan.empty', '请填写金额'],
    ['  元 ', 'dues.yuan.empty', '请填写金额'],
    ['-5', 'dues.yuan.negative', '金额不能为负数'],
    ['42.505', 'dues.yuan.format', '应写作 4200 或 4200.50（元），最多两位小数'],
    ['4.2.1', 'dues.yuan.format', '应写作 4200 或 4200.50（元），最多两位小数'],
    ['abc', 'dues.yuan.format', '应写作 4200 或 4200.50（元），最多两位小数'],
    ['+42', 'dues.yuan.format', '应写作 4200 或 4200.50（元），最多两位小数'],
    ['1e3', 'dues.yuan.format', '应写作 4200 或 4200.50（元），最多两位小数'],
    ['.5', 'dues.yuan.format', '应写作 4200 或 4200.50（元），最多两位小数'],
    ['1000000000000', 'dues.yuan.format', '应写作 4200 或 4200.50（元），最多两位小数'],
  ] as const)('"%s" is refused, saying why', (typed, key, message) => {
    const read = fenOf(typed);
    expect(read).toEqual({ error: key });
    expect(translate('zh-CN', key)).toBe(message);
  });
});
