// The 信访举报 dialogs' fields as the core's values: a new entry (`NewComplaint`), a step of its handling
// (`NewHandling`) and its close. Only the form is checked here (a day is a day, a choice is made); whether a day may
// be before the receipt or after today, whether a forwarding names where it went, whether a summary or a result is
// given, is the core's to say, and its refusal is shown beside the field it names. Text is trimmed; what is left empty
// and may be is sent as `null` (an empty complainant: anonymous).

import type { Channel, Handling, MemberQuery, NewComplaint, NewHandling } from '../api/types';
import { parseIsoDate } from '../i18n/format';

/** `null` for text left empty, else the text trimmed. */
function optional(text: string): string | null {
  const typed = text.trim();
  return typed === '' ? null : typed;
}

const isDay = (text: string) => parseIsoDate(text) !== null;

/** The register dialog's fields as typed. */
export interface ComplaintDraft {
  channel: Channel | '';
  received: string;
  complainant: string;
  /** The member chosen as the person concerned, if any. */
  concerning: number | null;
  category: string;
  summary: string;
  elsewhere: boolean;
}

export function blankComplaint(today: string): ComplaintDraft {
  return { channel: '', received: today, complainant: '', concerning: null, category: '', summary: '', elsewhere: false };
}

export interface ComplaintRead {
  complaint: NewComplaint | null;
  bad: { channel: boolean; received: boolean };
}

/** The new entry as the core is asked to register it; the summary is sent even when empty, for the core to refuse. */
export function readComplaint(d: ComplaintDraft): ComplaintRead {
  const bad = { channel: d.channel === '', received: !isDay(d.received) };
  if (d.channel === '' || bad.received) return { complaint: null, bad };
  return {
    complaint: {
      channel: d.channel,
      received_on: d.received.trim(),
      complainant: optional(d.complainant),
      concerning: d.concerning,
      category: optional(d.category),
      summary: d.summary.trim(),
      belongs_elsewhere: d.elsewhere,
    },
    bad,
  };
}

/** The handling dialog's fields as typed. */
export interface HandlingDraft {
  handling: Handling | '';
  date: string;
  /** Where it was forwarded: only a forwarding has one. */
  to: string;
  note: string;
  /** The day the handling was reported back, if it was: empty for none. */
  reported: string;
}

export function blankHandling(today: string): HandlingDraft {
  return { handling: '', date: today, to: '', note: '', reported: '' };
}

/** Whether the dialog asks where the entry went: only for a forwarding. */
export function asksWhere(handling: Handling | ''): boolean {
  return handling === 'forwarded';
}

export interface HandlingRead {
  handling: NewHandling | null;
  bad: { handling: boolean; date: boolean; reported: boolean };
}

/**
 * The step as the core is asked to record it. `to` goes only with a forwarding (typed, then another handling chosen:
 * not sent); a forwarding without it is sent as it is, for the core to refuse. A report-back day is optional, but
 * when typed it must be a day.
 */
export function readHandling(d: HandlingDraft): HandlingRead {
  const reported = d.reported.trim();
  const bad = { handling: d.handling === '', date: !isDay(d.date), reported: reported !== '' && !isDay(reported) };
  if (d.handling === '' || bad.date || bad.reported) return { handling: null, bad };
  return {
    handling: {
      handling: d.handling,
      date: d.date.trim(),
      to: asksWhere(d.handling) ? optional(d.to) : null,
      note: optional(d.note),
      reported_on: reported === '' ? null : reported,
    },
    bad,
  };
}

export interface CloseRead {
  close: { date: string; result: string } | null;
  bad: { date: boolean };
}

/** The close as the core is asked to make it: the day, and the result (sent even when empty: the core says). */
export function readClose(d: { date: string; result: string }): CloseRead {
  const bad = { date: !isDay(d.date) };
  if (bad.date) return { close: null, bad };
  return { close: { date: d.date.trim(), result: d.result.trim() }, bad };
}

/** The member search's question: the people whose name or number matches what was typed, a handful at most. */
export function memberSearch(typed: string, limit = 8): MemberQuery {
  return { stage: null, branch_id: null, search: typed.trim(), offset: 0, limit, cell: null };
}
