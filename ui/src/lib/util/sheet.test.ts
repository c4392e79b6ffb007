import { describe, expect, it } from 'vitest';
import { sheetFilter, sheetRows } from './sheet';

describe('sheetFilter', () => {
  it('offers a workbook or a CSV file under the name given', () => {
    expect(sheetFilter('交纳表')).toEqual([{ name: '交纳表', extensions: ['xlsx', 'csv'] }]);
  });
});

describe('sheetRows', () => {
  it('puts each bad row of a Chinese refusal on its own line', () => {
    expect(sheetRows('第 3 行：在册人员中没有「张三」；第 5 行：月数「两」应为正整数')).toEqual([
      '第 3 行：在册人员中没有「张三」',
      '第 5 行：月数「两」应为正整数',
    ]);
  });

  it('puts each bad row of an English refusal on its own line', () => {
    expect(sheetRows('row 3: nobody in the register is “张三”; row 5: the number of months “两” should be a whole number')).toEqual([
      'row 3: nobody in the register is “张三”',
      'row 5: the number of months “两” should be a whole number',
    ]);
  });

  it('keeps a refusal of the whole sheet as one line', () => {
    expect(sheetRows('党费表需要「姓名」（或「学号工号」）和「起始月份」两列')).toEqual(['党费表需要「姓名」（或「学号工号」）和「起始月份」两列']);
  });

  it('drops nothing but empty pieces', () => {
    expect(sheetRows('第 2 行：没有姓名或学号工号；')).toEqual(['第 2 行：没有姓名或学号工号']);
    expect(sheetRows('')).toEqual([]);
  });
});
