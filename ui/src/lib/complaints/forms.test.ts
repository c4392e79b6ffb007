import { describe, expect, it } from 'vitest';
import { asksWhere, blankComplaint, blankHandling, memberSearch, readClose, readComplaint, readHandling, type ComplaintDraft } from './forms';

describe('registering an entry', () => {
  const draft = (over: Partial<ComplaintDraft> = {}): ComplaintDraft => ({ ...blankComplaint('2026-11-24'), channel: 'letter', summary: '反映某党员收受礼金', ...over });

  it('starts on today, anonymous, concerning no one, not belonging elsewhere', () => {
    expect(blankComplaint('2026-11-24')).toEqual({
      channel: '', received: '2026-11-24', complainant: '', concerning: null, category: '', summary: '', elsewhere: false,
    });
  });

  it('sends what was typed, trimmed, an empty complainant and category as none (anonymous)', () => {
    expect(readComplaint(draft({ received: ' 2026-11-18 ', complainant: '  ', category: '', summary: ' 反映某党员收受礼金 \n' }))).toEqual({
      complaint: {
        channel: 'letter', received_on: '2026-11-18', complainant: null, concerning: null, category: null, summary: '反映某党员收受礼金', belongs_elsewhere: false,
      },
      bad: { channel: false, received: false },
    });
    const named = readComplaint(draft({ complainant: ' 王某 ', concerning: 7, category: ' 违反廉洁纪律 ', elsewhere: true })).complaint;
    expect(named).toMatchObject({ complainant: '王某', concerning: 7, category: '违反廉洁纪律', belongs_elsewhere: true });
  });

  it('needs a channel and a day; an empty summary goes to the core, which says', () => {
    expect(readComplaint(draft({ channel: '' }))).toEqual({ complaint: null, bad: { channel: true, received: false } });
    expect(readComplaint(draft({ received: '2026-02-30' }))).toEqual({ complaint: null, bad: { channel: false, received: true } });
    expect(readComplaint(draft({ summary: '  ' })).complaint?.summary).toBe('');
  });
});

describe('a step of handling', () => {
  it('starts on today with no handling chosen', () => {
    expect(blankHandling('2026-11-24')).toEqual({ handling: '', date: '2026-11-24', to: '', note: '', reported: '' });
  });

  it('asks where only for a forwarding, and sends `to` only with one', () => {
    expect(asksWhere('forwarded')).toBe(true);
    expect(asksWhere('holding')).toBe(false);
    expect(asksWhere('')).toBe(false);
    const typed = { handling: 'forwarded' as const, date: '2026-11-20', to: ' 区纪委 ', note: ' ', reported: '' };
    expect(readHandling(typed)).toEqual({
      handling: { handling: 'forwarded', date: '2026-11-20', to: '区纪委', note: null, reported_on: null },
      bad: { handling: false, date: false, reported: false },
    });
    expect(readHandling({ ...typed, handling: 'holding' }).handling?.to).toBeNull();
    // A forwarding that names nowhere is the core's to refuse.
    expect(readHandling({ ...typed, to: '' }).handling?.to).toBeNull();
  });

  it('takes a report-back day when one is typed, and refuses one that is not a day', () => {
    const typed = { handling: 'talk_or_letter' as const, date: '2026-11-20', to: '', note: '约谈本人', reported: ' 2026-11-21 ' };
    expect(readHandling(typed).handling).toEqual({ handling: 'talk_or_letter', date: '2026-11-20', to: null, note: '约谈本人', reported_on: '2026-11-21' });
    expect(readHandling({ ...typed, reported: '11月21日' })).toEqual({ handling: null, bad: { handling: false, date: false, reported: true } });
  });

  it('needs a handling and a day', () => {
    expect(readHandling({ ...blankHandling('2026-11-24'), date: 'today' })).toEqual({ handling: null, bad: { handling: true, date: true, reported: false } });
  });
});

describe('closing', () => {
  it('sends the day and the result trimmed; an empty result goes to the core, which says', () => {
    expect(readClose({ date: '2026-11-24', result: ' 予以了结 ' })).toEqual({ close: { date: '2026-11-24', result: '予以了结' }, bad: { date: false } });
    expect(readClose({ date: '2026-11-24', result: '' }).close).toEqual({ date: '2026-11-24', result: '' });
    expect(readClose({ date: '2026-13-01', result: '予以了结' })).toEqual({ close: null, bad: { date: true } });
  });
});

describe('finding the person concerned', () => {
  it('asks the core’s member search for a handful, whatever their branch or stage', () => {
    expect(memberSearch(' 张三 ')).toEqual({ stage: null, branch_id: null, search: '张三', offset: 0, limit: 8, cell: null });
  });
});
