// The one way a command reaches the shell: `invoke` by name, a rejection turned into the typed `BridgeError`, and a long
// job's progress callback handed over as a `Channel`. The commands themselves are generated from the shell's bridge
// table (`bindings/commands.ts`, from src-tauri/src/bridge.rs); nothing here knows one.

import { Channel, invoke } from '@tauri-apps/api/core';
import { toAppError } from './errors';
import type { JobProgress } from './types';

export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toAppError(e);
  }
}

/** A long job's progress reports, delivered to `onProgress` as the shell sends them. */
export function progressChannel(onProgress: (progress: JobProgress) => void): Channel<JobProgress> {
  return new Channel<JobProgress>(onProgress);
}
