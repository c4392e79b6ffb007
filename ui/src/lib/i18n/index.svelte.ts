// The current locale and `t()`.
//
// Why not svelte-i18n: it is built on Svelte 3/4 stores (`$_('key')`), which in Svelte 5 runes components means
// store subscriptions beside runes, a formatter dependency (intl-messageformat) we do not need, and keys typed as
// plain `string`. The app has two locales and a few hundred flat messages, so a typed catalogue (`zh-CN.ts` defines
// the keys; `en.ts` must match them exactly, checked by the compiler) and one `$state` rune do the job: `t()` reads
// the rune, so every template that calls it re-renders when the language changes.

import { formatDate, formatInstant, formatMonth } from './format';
import { isLocale, translate, type Locale, type MessageKey, type Params } from './catalogue';

export type { Locale, MessageKey };

const STORAGE_KEY = 'dangan.locale';

function storedLocale(): Locale {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (isLocale(v)) return v;
  } catch {
    // Storage can be unavailable (private mode, tests): fall back to Chinese.
  }
  return 'zh-CN';
}

const state = $state<{ locale: Locale }>({ locale: storedLocale() });

export function locale(): Locale {
  return state.locale;
}

export function setLocale(l: Locale): void {
  state.locale = l;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, l);
  } catch {
    // Not persisted; the choice still holds for this session.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = l;
}

export function toggleLocale(): void {
  setLocale(state.locale === 'zh-CN' ? 'en' : 'zh-CN');
}

/** The message `key` in the current language. */
export function t(key: MessageKey, params?: Params): string {
  return translate(state.locale, key, params);
}

/** `2026-11-24` in the current language: `2026年11月24日` or `24 Nov 2026`. */
export function fmtDate(iso: string): string {
  return formatDate(iso, state.locale);
}

/** An instant in UTC (`2026-11-24T00:30:00Z`) as local time in the current language: `2026年11月24日 08:30`. */
export function fmtInstant(iso: string): string {
  return formatInstant(iso, state.locale);
}

/** A month in the current language: `2026年11月` or `November 2026`. */
export function fmtMonth(year: number, month: number): string {
  return formatMonth(year, month, state.locale);
}

/** Picks the zh or en variant of a message that came from the backend (`message_zh` / `message_en`). */
export function pick(zh: string, en: string): string {
  return state.locale === 'zh-CN' ? zh : en;
}
