// Money as the 党费 screens show and read it. The core counts in integer fen (`*_fen`); the screens write yuan with two
// decimals (`42.00`) and read what the worker types (`4200`, `4200.50`) back into fen by its digits, never through a
// floating-point number, so 0.1 + 0.2 never turns into 0.30000000000000004 fen. Whether an amount is allowed (a base
// of zero, a negative one) is the core's to say as well: it checks again.

import type { MessageKey } from '../i18n/zh-CN';

/** Fen as yuan with two decimals: `4200` → `42.00`, `5` → `0.05`, `-150` → `-1.50`. */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** What was typed, read as fen, or why it is not an amount (a message of the catalogue). */
export type FenRead = { fen: number } | { error: MessageKey };

/** At most this many digits of whole yuan: the fen stay an exact integer (below 2^53). */
const MAX_YUAN_DIGITS = 12;

/**
 * Yuan as typed, in fen, exactly: `4200` → 420000, `4200.5` → 420050, `4200.50` → 420050. Spaces around it, a
 * trailing 元 and thousands commas (`4,200.50`) are allowed, as the core's own reader allows them; a sign, more than
 * two decimals or anything but digits is not.
 */
export function fenOf(text: string): FenRead {
  const cleaned = text.trim().replace(/元$/, '').trim().replace(/[,，]/g, '');
  if (cleaned === '') return { error: 'dues.yuan.empty' };
  if (cleaned.startsWith('-')) return { error: 'dues.yuan.negative' };
  const parts = cleaned.split('.');
  if (parts.length > 2) return { error: 'dues.yuan.format' };
  const [whole = '', fraction = ''] = parts;
  if (!/^\d+$/.test(whole) || whole.length > MAX_YUAN_DIGITS) return { error: 'dues.yuan.format' };
  if (!/^\d{0,2}$/.test(fraction)) return { error: 'dues.yuan.format' };
  return { fen: Number(whole) * 100 + Number(fraction.padEnd(2, '0')) };
}
