// Applications to transfer out (转出申请) as the 组织关系 screen and the member's page read and write them: which
// actions a row offers for the state the core gave it and what the session may, the dialogs' fields as the core's
// values, and the decision a row shows. Whether a member may apply, whether a day is allowed, whether a decline has
// its reason, and that a letter waits for the approval, are the core's to say: each form sends what was typed
// (checking only that a day is a day) and shows the core's refusal beside the field it names.

import type { NewTransferRequest, RequestState, TransferRequest } from '../api/types';
import type { MessageKey } from '../i18n/zh-CN';
import { parseIsoDate } from '../i18n/format';

/** What can be done to an application: 批准, 不予批准, or 开具介绍信 against an approved one. */
export type RequestAction = 'approve' | 'decline' | 'issue';

/** The decisions, made in `RequestDialog`; the letter is issued in the letters' own dialog. */
export type Decision = Exclude<RequestAction, 'issue'>;

/** What the session may do (`access.ts`): approve transfers; edit members (issue a letter). */
export interface RequestRights {
  approve: boolean;
  edit: boolean;
}

/**
 * The actions a row offers for its state (the core's `RequestState`): a decision while the application awaits one,
 * to those who may approve transfers; once approved, its letter, to those who may edit members, and 不予批准 still
 * (the member withdrew) to those who may approve. An offer is no promise: the core checks again, and its refusal is
 * shown.
 */
export function requestActions(state: RequestState, may: RequestRights): RequestAction[] {
  switch (state) {
    case 'applied':
      return may.approve ? ['approve', 'decline'] : [];
    case 'approved':
      return [...(may.edit ? (['issue'] as const) : []), ...(may.approve ? (['decline'] as const) : [])];
    default:
      return [];
  }
}

/** The apply dialog's fields as typed. */
export interface ApplyDraft {
  destination: string;
  date: string;
  reason: string;
}

export interface ApplyRead {
  request: NewTransferRequest | null;
  bad: { date: boolean };
}

/**
 * The apply dialog's fields as the core's `NewTransferRequest`: text trimmed, no reason as `null`. A destination left
 * empty is sent as it is, for the core to refuse with its reason.
 */
export function readNewRequest(personId: number, d: ApplyDraft): ApplyRead {
  const date = d.date.trim();
  const bad = { date: parseIsoDate(date) === null };
  if (bad.date) return { request: null, bad };
  const reason = d.reason.trim();
  return { request: { person_id: personId, destination: d.destination.trim(), reason: reason === '' ? null : reason, applied_on: date }, bad };
}

/** A decision as its dialog sends it: the day, and for 不予批准 the reason (sent even when empty: the core says). */
export type DecisionChange = { action: 'approve'; date: string } | { action: 'decline'; date: string; reason: string };

export interface DecisionRead {
  change: DecisionChange | null;
  bad: { date: boolean };
}

export function readDecision(action: Decision, d: { date: string; reason: string }): DecisionRead {
  const date = d.date.trim();
  const bad = { date: parseIsoDate(date) === null };
  if (bad.date) return { change: null, bad };
  return { change: action === 'approve' ? { action, date } : { action, date, reason: d.reason.trim() }, bad };
}

/** What a row says of the decision taken: its words (`{date}批准`, with who), and a decline's reason. */
export interface DecisionLine {
  key: MessageKey;
  date: string;
  by: string | null;
  reason: string | null;
}

/** The decision the core recorded on an application, if any (one approved and then declined shows the decline). */
export function decisionLine(r: Pick<TransferRequest, 'approved_on' | 'declined_on' | 'declined_reason' | 'decided_by'>): DecisionLine | null {
  if (r.declined_on !== null) return { key: 'request.declined_on', date: r.declined_on, by: r.decided_by, reason: r.declined_reason };
  if (r.approved_on !== null) return { key: 'request.approved_on', date: r.approved_on, by: r.decided_by, reason: null };
  return null;
}
