import { describe, expect, it } from 'vitest';
import { REQUEST_STATES } from '../api/domain';
import { en } from '../i18n/en';
import { zhCN } from '../i18n/zh-CN';
import { decisionLine, readDecision, readNewRequest, requestActions, type RequestRights } from './requests';

describe('what an application’s row offers', () => {
  const committee: RequestRights = { approve: true, edit: true };
  const secretary: RequestRights = { approve: false, edit: true };
  const auditor: RequestRights = { approve: false, edit: false };

  it.each([
    ['applied', committee, ['approve', 'decline']],
    ['approved', committee, ['issue', 'decline']],
    ['applied', secretary, []],
    ['approved', secretary, ['issue']],
    ['approved', auditor, []],
    ['approved', { approve: true, edit: false }, ['decline']],
    ['declined', committee, []],
    ['letter_issued', committee, []],
  ] as const)('an application %s, to %j: %j', (state, may, actions) => {
    expect(requestActions(state, may)).toEqual(actions);
  });

  it('labels every state the core gives an application, in both languages', () => {
    expect(REQUEST_STATES.map((s) => zhCN[`request_state.${s}`])).toEqual(['待审批', '已批准', '已开具介绍信', '不予批准']);
    expect(REQUEST_STATES.filter((s) => !(`request_state.${s}` in en))).toEqual([]);
  });
});

describe('the apply dialog', () => {
  const draft = { destination: ' 中共某某公司委员会 ', date: ' 2026-06-01 ', reason: '' };

  it('sends the destination and day trimmed, and no reason when none is given', () => {
    expect(readNewRequest(7, draft)).toEqual({
      request: { person_id: 7, destination: '中共某某公司委员会', reason: null, applied_on: '2026-06-01' },
      bad: { date: false },
    });
    expect(readNewRequest(7, { ...draft, reason: ' 工作调动 ' }).request?.reason).toBe('工作调动');
  });

  it('leaves an empty destination to the core to refuse', () => {
    expect(readNewRequest(7, { ...draft, destination: '  ' }).request?.destination).toBe('');
  });

  it('sends nothing for a day that is not one, and marks it', () => {
    expect(readNewRequest(7, { ...draft, date: '6月1日' })).toEqual({ request: null, bad: { date: true } });
    expect(readNewRequest(7, { ...draft, date: '2026-02-30' }).request).toBeNull();
  });
});

describe('a decision', () => {
  it('approves on a day, whatever reason was typed', () => {
    expect(readDecision('approve', { date: ' 2026-06-05 ', reason: '不用' }).change).toEqual({ action: 'approve', date: '2026-06-05' });
  });

  it('declines on a day with the reason trimmed, an empty one sent for the core to refuse', () => {
    expect(readDecision('decline', { date: '2026-06-05', reason: ' 本人撤回申请 ' }).change).toEqual({
      action: 'decline',
      date: '2026-06-05',
      reason: '本人撤回申请',
    });
    expect(readDecision('decline', { date: '2026-06-05', reason: ' ' }).change).toMatchObject({ reason: '' });
  });

  it('sends nothing for a day that is not one', () => {
    expect(readDecision('decline', { date: '', reason: '理由' })).toEqual({ change: null, bad: { date: true } });
  });
});

describe('the decision a row shows', () => {
  const none = { approved_on: null, declined_on: null, declined_reason: null, decided_by: null };

  it('says nothing while the application awaits its decision', () => {
    expect(decisionLine(none)).toBeNull();
  });

  it('gives the day of the approval and who approved it', () => {
    expect(decisionLine({ ...none, approved_on: '2026-06-05', decided_by: '王老师' })).toEqual({
      key: 'request.approved_on',
      date: '2026-06-05',
      by: '王老师',
      reason: null,
    });
  });

  it('gives the decline with its reason', () => {
    expect(decisionLine({ ...none, declined_on: '2026-06-06', declined_reason: '本人撤回申请', decided_by: '王老师' })).toEqual({
      key: 'request.declined_on',
      date: '2026-06-06',
      by: '王老师',
      reason: '本人撤回申请',
    });
  });

  it('shows the decline of an application approved before (the core clears the approval, but a stale copy may not)', () => {
    expect(decisionLine({ ...none, approved_on: '2026-06-05', declined_on: '2026-06-06', declined_reason: '撤回' })?.key).toBe('request.declined_on');
  });
});
