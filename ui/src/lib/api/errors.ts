// The error that crosses the bridge: `{ kind, message, details }`, its details typed by the core's `ErrorDetails`.
// Helpers to recognise it, to make one (the browser preview's refusals), and to read its kind-specific details —
// checked at run time as well, since a rejection is whatever reached the webview.

import { ERROR_KINDS } from './domain';
import type { BridgeError, ErrorDetails, ErrorKind, ImportReport, Violation } from './types';

/** The details of an `invalid_input` error: the field at fault and why (dangan-core's `ErrorDetails::Field`). */
export type InvalidInput = Extract<ErrorDetails, { field: string }>;

export function appError(kind: ErrorKind, message: string, details: ErrorDetails | null = null): BridgeError {
  return { kind, message, details };
}

export function isAppError(e: unknown): e is BridgeError {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as Record<string, unknown>;
  return typeof o.kind === 'string' && (ERROR_KINDS as readonly string[]).includes(o.kind) && typeof o.message === 'string';
}

/**
 * Whatever a rejected call produced, as an `BridgeError`. The shell always rejects with one; anything else (a string
 * from Tauri itself, say, when a command is missing, or a JavaScript exception) becomes `internal`.
 */
export function toAppError(e: unknown): BridgeError {
  if (isAppError(e)) return { kind: e.kind, message: e.message, details: e.details ?? null };
  if (e instanceof Error) return appError('internal', e.message);
  if (typeof e === 'string') return appError('internal', e);
  return appError('internal', JSON.stringify(e) ?? String(e));
}

/**
 * A failure, shown by `show` where it belongs; except that a locked workspace (auto-lock, another window) goes to
 * `onlocked`, which returns to the unlock screen, rather than being shown as an error.
 */
export function showUnlessLocked(e: unknown, onlocked: () => void, show: (e: unknown) => void): void {
  if (toAppError(e).kind === 'locked') onlocked();
  else show(e);
}

function isViolation(v: unknown): v is Violation {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.rule === 'string' && typeof o.message_zh === 'string' && typeof o.message_en === 'string';
}

/** The broken rules of a `violations` error; `[]` for any other error. */
export function violationsOf(e: BridgeError): Violation[] {
  if (e.kind !== 'violations' || !Array.isArray(e.details)) return [];
  return e.details.filter(isViolation);
}

/** The field and reason of an `invalid_input` error; `null` for any other error. */
export function invalidInputOf(e: BridgeError): InvalidInput | null {
  if (e.kind !== 'invalid_input' || typeof e.details !== 'object' || e.details === null) return null;
  const o = e.details as Record<string, unknown>;
  if (typeof o.field !== 'string' || typeof o.reason_zh !== 'string' || typeof o.reason_en !== 'string') return null;
  return { field: o.field, reason_zh: o.reason_zh, reason_en: o.reason_en };
}

/** The report carried by an `import_rejected` error; `null` for any other error. */
export function importReportOf(e: BridgeError): ImportReport | null {
  return e.kind === 'import_rejected' ? asImportReport(e.details) : null;
}

/**
 * The report carried by a `likely_duplicates` error (an import asked to `ask` that found people who look already
 * registered, and imported nothing): its `likely_duplicates` name each row. `null` for any other error.
 */
export function duplicatesReportOf(e: BridgeError): ImportReport | null {
  if (e.kind !== 'likely_duplicates') return null;
  const report = asImportReport(e.details);
  return report && Array.isArray(report.likely_duplicates) ? report : null;
}

function asImportReport(details: unknown): ImportReport | null {
  if (typeof details !== 'object' || details === null) return null;
  const o = details as Partial<ImportReport>;
  if (typeof o.rows !== 'number' || !Array.isArray(o.problems)) return null;
  return o as ImportReport;
}
