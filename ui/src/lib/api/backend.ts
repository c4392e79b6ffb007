// What the screens call: every command of the shell, generated from its bridge table (`bindings/commands.ts`, one
// function per command, named as the Rust command in camelCase, its types by their Rust names), and the shell's
// events (`events.ts`). A command's meaning, errors included, is documented on its Rust function in src-tauri/src.

import * as commands from './bindings/commands';
import * as events from './events';

export type { FileFilter } from './bindings/FileFilter';

export const tauriBackend = { ...commands, ...events };

export type Backend = typeof tauriBackend;
