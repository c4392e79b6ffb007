// The one place that turns an `BridgeError` into words. Every screen shows errors through `describeError`.

import { invalidInputOf, toAppError, violationsOf } from '../api/errors';
import type { ErrorKind, Violation } from '../api/types';
import { sheetRows } from '../util/sheet';
import { translate, type Locale, type MessageKey } from './catalogue';

/** The catalogue key for each kind; a `Record` so that a new kind without a message is a type error. */
export const ERROR_MESSAGE_KEYS: Record<ErrorKind, MessageKey> = {
  wrong_passphrase: 'error.wrong_passphrase',
  workspace_missing: 'error.workspace_missing',
  workspace_exists: 'error.workspace_exists',
  locked: 'error.locked',
  invalid_input: 'error.invalid_input',
  violations: 'error.violations',
  not_found: 'error.not_found',
  forbidden: 'error.forbidden',
  import_rejected: 'error.import_rejected',
  likely_duplicates: 'error.likely_duplicates',
  busy: 'error.busy',
  read_only: 'error.read_only',
  roster_unreadable: 'error.roster_unreadable',
  cancelled: 'error.cancelled',
  rule_file: 'error.rule_file',
  too_many_attempts: 'error.too_many_attempts',
  notifications_unavailable: 'error.notifications_unavailable',
  unreachable: 'error.unreachable',
  conflict: 'error.conflict',
  io: 'error.io',
  corrupt: 'error.corrupt',
  internal: 'error.internal',
};

export interface ErrorText {
  /** The localised headline for the kind, e.g. 口令错误. */
  title: string;
  /** Specific lines: the broken rules, the invalid field's reason, or the backend's own message for io/internal. */
  lines: string[];
}

/** Kinds whose backend `message` is specific (why a file cannot be read, a path, an OS error): shown as a detail line. */
const SHOW_MESSAGE: ReadonlySet<ErrorKind> = new Set<ErrorKind>(['forbidden', 'too_many_attempts', 'roster_unreadable', 'rule_file', 'notifications_unavailable', 'unreachable', 'conflict', 'io', 'corrupt', 'internal']);

export function describeError(e: unknown, locale: Locale): ErrorText {
  const err = toAppError(e);
  const title = translate(locale, ERROR_MESSAGE_KEYS[err.kind]);
  const lines: string[] = [];
  for (const v of violationsOf(err)) lines.push(violationText(v, locale));
  const inv = invalidInputOf(err);
  if (inv) {
    const reason = locale === 'zh-CN' ? inv.reason_zh : inv.reason_en;
    // A refused sheet names every bad row in one message: a line each.
    lines.push(...(inv.field === 'sheet' ? sheetRows(reason) : [reason]));
  }
  if (SHOW_MESSAGE.has(err.kind) && err.message) lines.push(translate(locale, 'error.details', { message: err.message }));
  return { title, lines };
}

/** A broken rule in `locale`, citing its clause. */
export function violationText(v: Violation, locale: Locale): string {
  const msg = locale === 'zh-CN' ? v.message_zh : v.message_en;
  // The rule's clause must be visible. The backend's messages name it; should a Chinese one not, add it (the clause is
  // Chinese text, so an English message is trusted to cite it in its own words).
  const missing = locale === 'zh-CN' && v.clause && !msg.includes(v.clause);
  return missing ? `${msg}（${v.clause}）` : msg;
}
