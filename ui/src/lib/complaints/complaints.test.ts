import { describe, expect, it } from 'vitest';
import { CHANNELS, COMPLAINT_STATES, HANDLINGS } from '../api/domain';
import { appError } from '../api/errors';
import type { ComplaintLine } from '../api/types';
import { en } from '../i18n/en';
import { zhCN } from '../i18n/zh-CN';
import { channelKey, dueDays, handlingKey, overdueCount, pastDue, registerKeyMissing, stateKey, stillOpen } from './complaints';

const line = (over: Partial<ComplaintLine> = {}): ComplaintLine => ({
  id: 1,
  number: '2026-001',
  received_on: '2026-11-02',
  belongs_elsewhere: false,
  state: 'registered',
  forward_due: null,
  report_due: '2027-02-02',
  ...over,
});

describe('the days the core set an entry', () => {
  it('are past only once today is after them: the day itself is still in time', () => {
    expect(pastDue('2026-11-23', '2026-11-24')).toBe(true);
    expect(pastDue('2026-11-24', '2026-11-24')).toBe(false);
    expect(pastDue('2026-11-25', '2026-11-24')).toBe(false);
    expect(pastDue(null, '2026-11-24')).toBe(false);
  });

  it('reads a line’s 须转送于 and 须反馈于, leaving out what the core gave none of', () => {
    expect(dueDays(line({ forward_due: '2026-11-09', report_due: '2027-02-02' }), '2026-11-24')).toEqual({
      forward: { date: '2026-11-09', overdue: true },
      report: { date: '2027-02-02', overdue: false },
    });
    expect(dueDays(line({ state: 'closed', forward_due: null, report_due: null }), '2026-11-24')).toEqual({ forward: null, report: null });
  });

  it('counts the lines with either day past, once each', () => {
    const lines = [
      line({ id: 1, forward_due: '2026-11-09', report_due: '2026-11-01' }),
      line({ id: 2, report_due: '2026-11-23' }),
      line({ id: 3, forward_due: '2026-11-24', report_due: '2027-02-24' }),
      line({ id: 4, state: 'closed', report_due: null }),
    ];
    expect(overdueCount(lines, '2026-11-24')).toBe(2);
    expect(overdueCount([], '2026-11-24')).toBe(0);
  });
});

describe('the words of the register', () => {
  it('names the channels, handlings and states as the core does, in its order', () => {
    expect(CHANNELS.map((c) => zhCN[channelKey(c)])).toEqual(['来信', '来访', '电话', '网络', '当面']);
    expect(HANDLINGS.map((h) => zhCN[handlingKey(h)])).toEqual(['谈话函询', '初步核实', '暂存待查', '予以了结', '转送有关机关']);
    expect(COMPLAINT_STATES.map((s) => zhCN[stateKey(s)])).toEqual(['已登记', '办理中', '已办结']);
    expect(CHANNELS.map((c) => en[channelKey(c)])).toEqual(['Letter', 'Visit', 'Phone', 'Online', 'In person']);
  });

  it('offers handling and closing only while the entry is not closed', () => {
    expect(COMPLAINT_STATES.map((state) => stillOpen({ state }))).toEqual([true, true, false]);
  });
});

describe('the register’s key not yet given to this inspector', () => {
  const refusal = (field: string) =>
    appError('invalid_input', 'no key', { field, reason_zh: '信访举报登记簿的密钥尚未交给你', reason_en: 'the key has not been given to you yet' });

  it('is the core’s invalid_input naming `register`, its words kept for the screen', () => {
    expect(registerKeyMissing(refusal('register'))).toEqual({
      field: 'register',
      reason_zh: '信访举报登记簿的密钥尚未交给你',
      reason_en: 'the key has not been given to you yet',
    });
  });

  it('is nothing else: another field, another kind, no error at all', () => {
    expect(registerKeyMissing(refusal('summary'))).toBeNull();
    expect(registerKeyMissing(appError('forbidden', 'not an inspector'))).toBeNull();
    expect(registerKeyMissing(null)).toBeNull();
    expect(registerKeyMissing('command complaints not found')).toBeNull();
  });
});
