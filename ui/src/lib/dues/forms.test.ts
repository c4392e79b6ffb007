import { describe, expect, it } from 'vitest';
import { readBase, readPayment, type PaymentDraft } from './forms';

describe('the base dialog', () => {
  it('sends the category, the base typed in yuan as fen, and the month from which it holds', () => {
    expect(readBase(7, { category: 'salaried', base: '4200.5', from: '2026-5' })).toEqual({
      base: { person_id: 7, category: 'salaried', base_fen: 420050, from_month: '2026-05' },
      bad: { base: null, from: false },
    });
  });

  it('sends a fixed category with a base of 0 (the core says whether that is allowed)', () => {
    expect(readBase(7, { category: 'student', base: '0', from: '2026-09' }).base?.base_fen).toBe(0);
  });

  it('sends nothing for an amount it cannot read, and says why', () => {
    expect(readBase(7, { category: 'salaried', base: '42.505', from: '2026-05' })).toEqual({
      base: null,
      bad: { base: 'dues.yuan.format', from: false },
    });
    expect(readBase(7, { category: 'salaried', base: '', from: '2026-05' }).bad.base).toBe('dues.yuan.empty');
  });

  it('sends nothing for a month it cannot read', () => {
    expect(readBase(7, { category: 'salaried', base: '4200', from: '2026-13' })).toEqual({
      base: null,
      bad: { base: null, from: true },
    });
  });
});

describe('the payment and deferral dialog', () => {
  const draft = (d: Partial<PaymentDraft> = {}): PaymentDraft => ({
    from: '2026-05',
    months: '3',
    paidOn: '2026-05-20',
    paidBy: '',
    reason: '',
    ...d,
  });

  it('sends a payment of months in a row with the day paid, and no reason', () => {
    expect(readPayment(7, 'pay', draft({ reason: '家庭困难' })).payment).toEqual({
      person_id: 7,
      from_month: '2026-05',
      months: 3,
      paid_on: '2026-05-20',
      paid_by: null,
      deferred: null,
    });
  });

  it('names who paid on the member’s behalf, trimmed', () => {
    expect(readPayment(7, 'pay', draft({ paidBy: ' 李四 ' })).payment?.paid_by).toBe('李四');
  });

  it('sends a deferral with its reason and no day', () => {
    expect(readPayment(7, 'defer', draft({ reason: ' 家庭困难 ', paidOn: 'not a day' })).payment).toEqual({
      person_id: 7,
      from_month: '2026-05',
      months: 3,
      paid_on: null,
      paid_by: null,
      deferred: '家庭困难',
    });
  });

  it.each([
    ['no months', 'pay', { months: '0' }, 'months'],
    ['a fraction of a month', 'pay', { months: '1.5' }, 'months'],
    ['months not typed', 'pay', { months: '' }, 'months'],
    ['a month that is not one', 'pay', { from: '2026-13' }, 'from'],
    ['a day paid that is not a day', 'pay', { paidOn: '2026-02-30' }, 'paidOn'],
    ['a deferral without a reason', 'defer', { reason: '  ' }, 'reason'],
  ] as const)('sends nothing for %s, and marks the field', (_, mode, change, field) => {
    const read = readPayment(7, mode, draft(change));
    expect(read.payment).toBeNull();
    expect(read.bad[field]).toBe(true);
  });

  it('reads the months with spaces around them', () => {
    expect(readPayment(7, 'pay', draft({ months: ' 12 ' })).payment?.months).toBe(12);
  });
});
