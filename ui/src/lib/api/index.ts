// Chooses the backend once at start-up: the Tauri commands, inside the app's window or — in a plain browser during
// development (`npm run dev`) — answered from replies recorded from the real core (`recorded.ts`). The two are told
// apart by `window.__TAURI_INTERNALS__`, which only the Tauri webview defines until the preview installs its own.
// A release build has no preview: `import.meta.env.DEV` is false there, so the bundler drops that branch, and with it
// recorded.ts and its replies (`vite.config.ts` fails a build that emits them).

import type { Backend } from './backend';

let current: Backend | null = null;

export function inTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

export async function initBackend(): Promise<Backend> {
  if (current) return current;
  if (import.meta.env.DEV && !inTauri()) {
    const { installRecordedReplies } = await import('./recorded');
    installRecordedReplies(window.location.search);
  }
  const { tauriBackend } = await import('./backend');
  current = tauriBackend;
  return current;
}

/** The backend chosen by `initBackend`, which `main.ts` awaits before mounting the app. */
export function backend(): Backend {
  if (!current) throw new Error('initBackend() has not run');
  return current;
}
