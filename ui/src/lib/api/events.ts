// What the shell tells the UI unasked: a member or a unit to open (a clicked reminder), a finished reminder check, and
// files dragged onto the window. Commands are in `bindings/commands.ts`; these are the shell's events.

import { listen } from '@tauri-apps/api/event';
import { getCurrentWebview } from '@tauri-apps/api/webview';
import type { RecordsChanged, RemindersChecked } from './types';

// The shell's native drag and drop, not the DOM's: only it knows the files' paths, and with it enabled the webview
// receives no HTML drop events for files at all (on Windows).
export function onFileDrop(handler: (paths: string[]) => void, onHover?: (over: boolean) => void): Promise<() => void> {
  return getCurrentWebview().onDragDropEvent((event) => {
    const p = event.payload;
    if (p.type === 'drop') {
      onHover?.(false);
      handler(p.paths);
    } else if (p.type === 'enter') {
      onHover?.(true);
    } else if (p.type === 'leave') {
      onHover?.(false);
    }
  });
}

/** A clicked reminder: the shell's `open-member` event, with the member's id. */
export function onOpenMember(handler: (memberId: number) => void): Promise<() => void> {
  return listen<number>('open-member', (event) => handler(event.payload));
}

/** A clicked reminder of a meeting a unit owes: the shell's `open-unit` event, with the unit's id. */
export function onOpenUnit(handler: (unitId: number) => void): Promise<() => void> {
  return listen<number>('open-unit', (event) => handler(event.payload));
}

/** Other clients' changes on a shared server, and the loss of its connection: the shell's `records-changed` event. */
export function onRecordsChanged(handler: (changed: RecordsChanged) => void): Promise<() => void> {
  return listen<RecordsChanged>('records-changed', (event) => handler(event.payload));
}

/** Each reminder check as it ends: the shell's `reminders-checked` event (also asked with `remindersChecked()`). */
export function onRemindersChecked(handler: (tally: RemindersChecked) => void): Promise<() => void> {
  return listen<RemindersChecked>('reminders-checked', (event) => handler(event.payload));
}
