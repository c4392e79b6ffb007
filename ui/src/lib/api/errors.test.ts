import type { ErrorDetails } from './types';
import { describe, expect, it, vi } from 'vitest';
import { appError, duplicatesReportOf, importReportOf, showUnlessLocked } from './errors';
import type { ImportReport } from './types';

const report: ImportReport = {
  rows: 3,
  created: 3,
  updated: 0,
  updated_rows: [],
  branches_created: [],
  ignored_columns: [],
  problems: [],
  likely_duplicates: [
    {
      row: 2, name: '赵一', member_id: 1, same_as_row: null,
      reason_zh: '「赵一」与已登记的党员（编号 1）姓名和出生日期相同，可能是同一人',
      reason_en: '“赵一” has the same name and birth date as registered member 1: likely the same person',
    },
  ],
  late: [],
  skipped_rows: [],
  committed: false,
};

describe('the report an import error carries', () => {
  it('is read from a likely_duplicates error, with each row that looks already registered', () => {
    expect(duplicatesReportOf(appError('likely_duplicates', '1 likely duplicate', report))).toEqual(report);
  });

  it('of one kind is not read as the other: problems and likely duplicates lead to different screens', () => {
    expect(duplicatesReportOf(appError('import_rejected', '1 problem', report))).toBeNull();
    expect(importReportOf(appError('likely_duplicates', '1 likely duplicate', report))).toBeNull();
    expect(importReportOf(appError('import_rejected', '1 problem', report))).toEqual(report);
  });

  it('is absent when the details are not a report', () => {
    expect(duplicatesReportOf(appError('likely_duplicates', 'x'))).toBeNull();
    expect(duplicatesReportOf(appError('likely_duplicates', 'x', { rows: 3, problems: [] } as unknown as ErrorDetails))).toBeNull();
    expect(duplicatesReportOf(appError('likely_duplicates', 'x', 'three rows' as unknown as ErrorDetails))).toBeNull();
  });
});

describe('showUnlessLocked', () => {
  it('shows a failure, but returns to the unlock screen when the workspace was locked', () => {
    const [onlocked, show] = [vi.fn(), vi.fn()];
    showUnlessLocked(appError('forbidden', '无权操作'), onlocked, show);
    expect(show).toHaveBeenCalledWith(appError('forbidden', '无权操作'));
    showUnlessLocked(appError('locked', '档案库已锁定'), onlocked, show);
    expect(onlocked).toHaveBeenCalledTimes(1);
    expect(show).toHaveBeenCalledTimes(1);
  });
});
