// The browser preview (`npm run dev`): the app's own client (`tauri.ts`) over an IPC that answers with replies the
// real core gave. `recorded/replies.json` is written by `crates/dangan-core/tests/recorded_replies.rs`, which runs the
// demo organisation through dangan-core, call by call, as the shell's commands do; nothing here knows the domain.
//
// A call is looked up by its command and arguments as `invoke` carries them. A question that was not recorded is
// answered `not_found`, a change (anything else) `read_only`: the preview replays, it never computes. Only for
// `npm run dev`: `index.ts` imports this module behind `import.meta.env.DEV`, and `vite.config.ts` fails a build that
// emits it.

import { mockIPC, mockWindows } from '@tauri-apps/api/mocks';
import type { BridgeError, Lang } from './types';
import { appError } from './errors';
import repliesJson from './recorded/replies.json?raw';

/** One recorded call: the core's answer (`ok`, or `bytes` in hex for a binary reply) or its refusal in both languages. */
export interface RecordedCall {
  command: string;
  args: Record<string, unknown>;
  ok?: unknown;
  bytes?: string;
  err?: Record<Lang, BridgeError>;
  /** A change the core refused; every other change is refused as read-only. */
  write?: boolean;
}

export interface Recording {
  today: string;
  /** The command that records the replies anew. */
  regenerate: string;
  /** By the preview's `?session=`: `administrator`, `branch_secretary`, `auditor`, `locked`, `new`. */
  sessions: Record<string, RecordedCall[]>;
}

/** The session a preview shows when the address names none. */
export const DEFAULT_SESSION = 'administrator';

export function loadRecording(text: string = repliesJson): Recording {
  return JSON.parse(text) as Recording;
}

/** Canonical JSON: keys sorted at every level, so that two argument objects compare by content. */
export function canonical(value: unknown): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, sorted(o[k])]),
    );
  };
  // Through JSON first, as `invoke` sends it: `undefined` fields drop out, a `Channel` becomes its id.
  return JSON.stringify(sorted(JSON.parse(JSON.stringify(value ?? {}))));
}

function key(command: string, args: unknown): string {
  return `${command} ${canonical(args)}`;
}

function hexToBuffer(hex: string): ArrayBuffer {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes.buffer;
}

/** One session's replies, answering as the shell would: a value, or a rejection with an `BridgeError`. */
export class RecordedReplies {
  private readonly calls = new Map<string, RecordedCall>();
  /** Commands recorded as questions: an unrecorded call of one is unanswered, not refused. */
  private readonly questions = new Set<string>();
  /** The language of the refusals, as `set_language` chose (the shell's messages follow the UI's toggle). */
  private lang: Lang = 'zh-CN';

  constructor(
    calls: RecordedCall[],
    private readonly regenerate: string,
  ) {
    for (const call of calls) {
      this.calls.set(key(call.command, call.args), call);
      if (!call.write) this.questions.add(call.command);
    }
  }

  /** The recorded reply to `command` with `args`; throws the `BridgeError` the shell would reject with. */
  answer(command: string, args: unknown): unknown {
    if (command === 'set_language') {
      this.lang = (args as { lang: Lang }).lang;
      return null;
    }
    const call = this.calls.get(key(command, args));
    if (call?.err) throw call.err[this.lang];
    if (call?.bytes !== undefined) return hexToBuffer(call.bytes);
    if (call) return call.ok ?? null;
    if (this.questions.has(command)) {
      throw appError(
        'not_found',
        `预览没有录下这次查询的回复 / the preview has no recorded reply to ${key(command, args)}; ` +
          `record it in crates/dangan-core/tests/recorded_replies.rs and run ${this.regenerate}`,
      );
    }
    throw appError('read_only', `预览只能查看，不执行 ${command} / the preview only replays recorded replies and does not run ${command}`);
  }
}

/** The replies of the session `?session=` names (the administrator's by default, or when it names none recorded). */
export function repliesFor(search: string, recording: Recording = loadRecording()): RecordedReplies {
  const asked = new URLSearchParams(search).get('session') ?? DEFAULT_SESSION;
  const session = Object.hasOwn(recording.sessions, asked) ? asked : DEFAULT_SESSION;
  if (session !== asked) console.warn(`no recorded session ${asked}; showing ${session}`);
  return new RecordedReplies(recording.sessions[session] ?? [], recording.regenerate);
}

/**
 * Makes `invoke` (and the events the app listens to) answer from the recorded replies, before the app's client is
 * made. Tauri's own IPC mock does the plumbing; the answers are the core's.
 */
export function installRecordedReplies(search: string): void {
  const replies = repliesFor(search);
  mockWindows('main');
  mockIPC((command, args) => replies.answer(command, args), { shouldMockEvents: true });
}
