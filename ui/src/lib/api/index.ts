// Chooses the backend once at start-up: the Tauri commands inside the app's window, the in-memory mock in a plain
// browser (`npm run dev`) — told apart by `window.__TAURI_INTERNALS__`, which only the Tauri webview defines.

import type { Backend } from './backend';

let current: Backend | null = null;

export function inTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

export async function initBackend(): Promise<Backend> {
  if (current) return current;
  if (inTauri()) {
    const { TauriBackend } = await import('./tauri');
    current = new TauriBackend();
  } else {
    const { MockBackend, mockOptionsFromSearch } = await import('./mock');
    const mock = new MockBackend(mockOptionsFromSearch(window.location.search));
    // A browser cannot drop files with their paths: from the console, `danganMock.dropFiles(['/tmp/扫描.jpg'])`.
    Object.assign(window, { danganMock: mock });
    current = mock;
  }
  return current;
}

/** The backend chosen by `initBackend`, which `main.ts` awaits before mounting the app. */
export function backend(): Backend {
  if (!current) throw new Error('initBackend() has not run');
  return current;
}
