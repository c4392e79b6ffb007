// Catalogue lookup and placeholder filling: pure functions, no state (the current locale lives in `index.svelte.ts`).

import { en } from './en';
import { zhCN, type MessageKey, type Messages } from './zh-CN';

export type Locale = 'zh-CN' | 'en';
export type { MessageKey, Messages };

export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

export const CATALOGUES: Record<Locale, Messages> = { 'zh-CN': zhCN, en };

export type Params = Record<string, string | number>;

/** Looks `key` up in the catalogue of `locale` and replaces each `{name}` by `params.name`. */
export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const text = CATALOGUES[locale][key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined ? whole : String(v);
  });
}

export function isLocale(v: unknown): v is Locale {
  return v === 'zh-CN' || v === 'en';
}
