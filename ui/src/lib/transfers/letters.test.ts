import { describe, expect, it } from 'vitest';
import { LETTER_STATES } from '../api/domain';
import { zhCN } from '../i18n/zh-CN';
import { chosen, letterActions, lettersTitle, packageOffered, pdfPath, readLetterChange, readNewLetter, readValidity, toggled, type IssueDraft } from './letters';

describe('what a letter’s row offers', () => {
  it.each([
    ['issued', ['receipt', 'cancel']],
    ['expired', ['receipt', 'reissue', 'cancel']],
    ['received', []],
    ['reissued', []],
    ['cancelled', []],
  ] as const)('a letter %s: %j (and printing, always)', (state, actions) => {
    expect(letterActions(state)).toEqual(actions);
  });

  it('offers the member package while the letter is in force, not once it was cancelled or replaced', () => {
    expect(LETTER_STATES.filter(packageOffered)).toEqual(['issued', 'received', 'expired']);
  });

  it('labels every state the core gives a letter', () => {
    expect(LETTER_STATES.map((s) => zhCN[`letter_state.${s}`])).toEqual(['已开具', '已收回执', '已过期', '已重开', '已作废']);
  });
});

describe('the validity typed', () => {
  it('is the rule’s default when left empty, else a whole number of days', () => {
    expect([readValidity(''), readValidity('  '), readValidity('60'), readValidity(' 30 ')]).toEqual([null, null, 60, 30]);
  });

  it('is not a validity when it is not a whole number (the core says which numbers it allows)', () => {
    expect([readValidity('30天'), readValidity('1.5'), readValidity('-3'), readValidity('1e3')]).toEqual([undefined, undefined, undefined, undefined]);
    expect(readValidity('0')).toBe(0);
    expect(readValidity('500')).toBe(500);
  });
});

describe('the issue dialog', () => {
  const draft = (d: Partial<IssueDraft> = {}): IssueDraft => ({
    destination: ' 中共某某大学委员会 ',
    addressee: '',
    validity: '',
    date: '2026-06-30',
    assessment: '',
    ...d,
  });

  it('sends the destination trimmed, and leaves the addressee, validity and assessment to the core when empty', () => {
    expect(readNewLetter(7, draft()).letter).toEqual({
      person_id: 7,
      destination: '中共某某大学委员会',
      addressee: null,
      validity_days: null,
      issued_on: '2026-06-30',
      assessment: null,
    });
  });

  it('sends what was typed of the addressee, validity and assessment', () => {
    const letter = readNewLetter(7, draft({ addressee: ' 某某大学党委组织部 ', validity: '60', assessment: ' 预备期表现良好 ' })).letter;
    expect([letter?.addressee, letter?.validity_days, letter?.assessment]).toEqual(['某某大学党委组织部', 60, '预备期表现良好']);
  });

  it.each([
    ['no destination', { destination: '  ' }, 'destination'],
    ['a validity that is not a number', { validity: '一个月' }, 'validity'],
    ['a day that is not one', { date: '2026-02-30' }, 'date'],
  ] as const)('sends nothing with %s, and marks the field', (_, change, field) => {
    const read = readNewLetter(7, draft(change));
    expect(read.letter).toBeNull();
    expect(read.bad[field]).toBe(true);
  });
});

describe('where the letters are written', () => {
  it('is the path typed, or none (no PDF) when left empty', () => {
    expect([pdfPath(' /tmp/介绍信.pdf '), pdfPath(''), pdfPath('   ')]).toEqual(['/tmp/介绍信.pdf', null, null]);
  });
});

describe('a change to a letter', () => {
  const draft = { date: ' 2026-08-01 ', validity: '', reason: '', path: '' };

  it('records a receipt on its day', () => {
    expect(readLetterChange('receipt', { ...draft, validity: 'ignored' }).change).toEqual({ action: 'receipt', date: '2026-08-01' });
  });

  it('reissues on a day, with the validity typed or the default', () => {
    expect(readLetterChange('reissue', draft).change).toEqual({ action: 'reissue', issuedOn: '2026-08-01', validityDays: null, path: null });
    expect(readLetterChange('reissue', { ...draft, validity: '45' }).change).toEqual({ action: 'reissue', issuedOn: '2026-08-01', validityDays: 45, path: null });
  });

  it('writes the reissued letter where the worker chose, or nowhere when left empty', () => {
    expect(readLetterChange('reissue', { ...draft, path: ' /tmp/介绍信 张三.pdf ' }).change).toMatchObject({ path: '/tmp/介绍信 张三.pdf' });
    expect(readLetterChange('reissue', { ...draft, path: '   ' }).change).toMatchObject({ path: null });
    expect(readLetterChange('receipt', { ...draft, path: '/tmp/介绍信.pdf' }).change).toEqual({ action: 'receipt', date: '2026-08-01' });
  });

  it('cancels on a day, with the reason when one is given', () => {
    expect(readLetterChange('cancel', draft).change).toEqual({ action: 'cancel', date: '2026-08-01', reason: null });
    expect(readLetterChange('cancel', { ...draft, reason: ' 本人不再转出 ' }).change).toMatchObject({ reason: '本人不再转出' });
  });

  it('sends nothing for a day that is not one, or a validity that is not a number', () => {
    expect(readLetterChange('receipt', { ...draft, date: '8月1日' })).toEqual({ change: null, bad: { date: true, validity: false } });
    expect(readLetterChange('reissue', { ...draft, validity: 'x' })).toEqual({ change: null, bad: { date: false, validity: true } });
  });
});

describe('printing', () => {
  const letters = [
    { id: 3, number: '2026-003', name: '王五' },
    { id: 2, number: '2026-002', name: '李四' },
    { id: 1, number: '2026-001', name: '张三' },
  ];

  it('names the file after the one letter, or the number of letters', () => {
    expect(lettersTitle([letters[0]!], 'zh-CN')).toBe('介绍信 2026-003 王五');
    expect(lettersTitle(letters, 'zh-CN')).toBe('介绍信 3 封');
    expect(lettersTitle(letters, 'en')).toBe('3 transfer letters');
  });

  it('prints the letters chosen, in the list’s order, and only those still listed', () => {
    let selected = toggled(new Set(), 1);
    selected = toggled(selected, 3);
    selected = toggled(selected, 99);
    expect(chosen(selected, letters).map((l) => l.id)).toEqual([3, 1]);
    expect(chosen(toggled(selected, 3), letters).map((l) => l.id)).toEqual([1]);
  });
});
