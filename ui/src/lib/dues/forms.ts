// The 党费 dialogs' fields as the core's values: a base (`DuesBase`: category, yuan in fen, the month from which it
// holds) and a payment or deferral (`DuesPayment`). Only the form is checked here (a month, a number, a date, an
// amount written as money, a reason given); whether the months may be recorded, the base may be set or the day is
// allowed is the core's to say, and its refusal names the field.

import type { DuesBase, DuesCategory, DuesPayment } from '../api/types';
import { parseIsoDate } from '../i18n/format';
import type { MessageKey } from '../i18n/zh-CN';
import { fenOf } from './money';
import { parseMonth } from './months';

export interface BaseDraft {
  category: DuesCategory;
  /** Yuan as typed. */
  base: string;
  /** `2026-05` as typed. */
  from: string;
}

export interface BaseRead {
  base: DuesBase | null;
  /** Why the amount cannot be read, or `null`; and whether the month cannot. */
  bad: { base: MessageKey | null; from: boolean };
}

/** The base dialog's fields as a `DuesBase`, when the amount and the month can be read. */
export function readBase(personId: number, d: BaseDraft): BaseRead {
  const amount = fenOf(d.base);
  const from = parseMonth(d.from);
  const bad = { base: 'error' in amount ? amount.error : null, from: from === null };
  if (!('fen' in amount) || from === null) return { base: null, bad };
  return { base: { person_id: personId, category: d.category, base_fen: amount.fen, from_month: from }, bad };
}

/** A payment (a day paid, perhaps by someone else) or a deferral (a reason). */
export type PaymentMode = 'pay' | 'defer';

export interface PaymentDraft {
  from: string;
  months: string;
  /** The day paid (a payment). */
  paidOn: string;
  /** Who paid on the member's behalf (a payment); empty when the member did. */
  paidBy: string;
  /** Why the months are deferred (a deferral). */
  reason: string;
}

export interface PaymentRead {
  payment: DuesPayment | null;
  bad: { from: boolean; months: boolean; paidOn: boolean; reason: boolean };
}

/**
 * The payment dialog's fields as a `DuesPayment`: a payment carries the day (and who paid, trimmed, none when empty)
 * and no reason; a deferral the reason (trimmed) and no day. The months are a whole number as typed.
 */
export function readPayment(personId: number, mode: PaymentMode, d: PaymentDraft): PaymentRead {
  const from = parseMonth(d.from);
  const months = /^\s*\d+\s*$/.test(d.months) ? Number(d.months) : null;
  const paidOn = d.paidOn.trim();
  const paidBy = d.paidBy.trim();
  const reason = d.reason.trim();
  const bad = {
    from: from === null,
    months: months === null || months < 1,
    paidOn: mode === 'pay' && parseIsoDate(paidOn) === null,
    reason: mode === 'defer' && reason === '',
  };
  if (from === null || months === null || Object.values(bad).some(Boolean)) return { payment: null, bad };
  const payment: DuesPayment =
    mode === 'pay'
      ? { person_id: personId, from_month: from, months, paid_on: paidOn, paid_by: paidBy === '' ? null : paidBy, deferred: null }
      : { person_id: personId, from_month: from, months, paid_on: null, paid_by: null, deferred: reason };
  return { payment, bad };
}
