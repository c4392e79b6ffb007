import { describe, expect, it } from 'vitest';
import { MEMBERSHIP_STATUSES } from '../api/domain';
import type { StatusChange } from '../api/types';
import { en } from '../i18n/en';
import { zhCN } from '../i18n/zh-CN';
import {
  archivedBanner,
  defaultListStatus,
  inRegister,
  LIST_STATUSES,
  latestChange,
  statusChange,
  statusChoices,
  statusQuery,
  statusSince,
} from './status';

const change = (status: StatusChange['status'], date: string, reason: string | null = null, id = 1): StatusChange => ({
  id, person_id: 7, status, date, reason,
});

describe('membership statuses', () => {
  it('are the core’s nine, in its order: 在册 first', () => {
    expect(MEMBERSHIP_STATUSES).toEqual([
      'in_register', 'transferred_out', 'suspended', 'withdrew', 'removed', 'expelled', 'lapsed', 'deceased', 'probation_cancelled',
    ]);
  });

  it('are named as the office names them, in both languages', () => {
    expect(MEMBERSHIP_STATUSES.map((s) => zhCN[`status.${s}`])).toEqual([
      '在册', '转出', '停止党籍', '退党', '除名', '开除党籍', '自行脱党', '去世', '取消预备党员资格',
    ]);
    expect(MEMBERSHIP_STATUSES.map((s) => en[`status.${s}`])).toEqual([
      'in the register', 'transferred out', 'membership suspended', 'withdrew', 'removed from the register', 'expelled',
      'lapsed', 'deceased', 'probationary membership cancelled',
    ]);
  });

  it('tell the register from the rest', () => {
    expect(MEMBERSHIP_STATUSES.filter(inRegister)).toEqual(['in_register']);
  });
});

describe('the status a person has now', () => {
  it('was set by the latest change of their history (oldest first), or by none', () => {
    const history = [change('transferred_out', '2026-03-01', '转往某大学党委', 1), change('in_register', '2026-06-01', null, 2)];
    expect(latestChange(history)?.id).toBe(2);
    expect(latestChange([])).toBeNull();
  });

  it('reads as a badge with the day it took effect', () => {
    const out = change('transferred_out', '2026-06-30');
    expect(statusSince('zh-CN', 'transferred_out', out)).toBe('转出 · 2026年6月30日');
    expect(statusSince('en', 'transferred_out', out)).toBe('transferred out · 30 Jun 2026');
    expect(statusSince('zh-CN', 'in_register', null)).toBe('在册');
  });

  it('puts a banner over the file of someone out of the register', () => {
    const out = change('transferred_out', '2026-06-30');
    expect(archivedBanner('zh-CN', 'transferred_out', out)).toBe('已不在册（转出，2026年6月30日）：档案仅供查阅和打印');
    expect(archivedBanner('en', 'transferred_out', out)).toBe(
      'Out of the register (transferred out, 30 Jun 2026): the file is kept for reading and printing',
    );
    expect(archivedBanner('zh-CN', 'deceased', null)).toBe('已不在册（去世）：档案仅供查阅和打印');
  });
});

describe('the status dialog', () => {
  it('offers every status but the current one, leaving which may follow to the core', () => {
    expect(statusChoices('in_register')).toEqual(MEMBERSHIP_STATUSES.slice(1));
    expect(statusChoices('transferred_out')).toEqual([
      'in_register', 'suspended', 'withdrew', 'removed', 'expelled', 'lapsed', 'deceased', 'probation_cancelled',
    ]);
  });

  it('sends a new change: the date trimmed, the reason trimmed, no reason as none', () => {
    expect(statusChange(7, { status: 'removed', date: ' 2026-06-30 ', reason: ' 党委〔2026〕12号 ' })).toEqual({
      id: null, person_id: 7, status: 'removed', date: '2026-06-30', reason: '党委〔2026〕12号',
    });
    expect(statusChange(7, { status: 'deceased', date: '2026-06-30', reason: '   ' }).reason).toBeNull();
  });
});

describe('the member list’s status filter', () => {
  it('offers the working list, the archived and everyone, in that order', () => {
    expect(LIST_STATUSES).toEqual(['in_register', 'archived', 'all']);
  });

  it('starts on the working list, or on everyone a drilled-down number counted', () => {
    expect(defaultListStatus(false)).toBe('in_register');
    expect(defaultListStatus(true)).toBe('all');
  });

  it('sends no status for the working list, the others as chosen', () => {
    expect(statusQuery('in_register', false)).toEqual({});
    expect(statusQuery('archived', false)).toEqual({ status: 'archived' });
    expect(statusQuery('all', false)).toEqual({ status: 'all' });
  });

  it('sends every choice in a drill-down, where no status means everyone counted', () => {
    expect(statusQuery('in_register', true)).toEqual({ status: 'in_register' });
    expect(statusQuery('all', true)).toEqual({ status: 'all' });
  });

  it('keeps the status in the query the export receives, and none for the working list', () => {
    const base = { stage: null, branch_id: 3, search: null, offset: 0, limit: 100, cell: null };
    expect({ ...base, ...statusQuery('archived', false), offset: 0, limit: 0 }).toHaveProperty('status', 'archived');
    expect({ ...base, ...statusQuery('in_register', false) }).not.toHaveProperty('status');
  });
});
