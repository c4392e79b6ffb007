// A sheet read by the core (attendance, held meetings, own study, dues paid): the file dialog's filter, and its
// refusal split for reading. The core reads the sheet and checks every row; nothing here knows what a row must hold.

import type { FileFilter } from '../api/types';

/** The open dialog's filter for a sheet the core reads: an Excel workbook or a CSV file, under `name`. */
export function sheetFilter(name: string): FileFilter[] {
  return [{ name, extensions: ['xlsx', 'csv'] }];
}

/**
 * The bad rows of a refused sheet, one each: the core names them all in one message, joined by `；` (zh-CN) or `;`
 * (en). For display only: the message itself is the core's, shown whole.
 */
export function sheetRows(reason: string): string[] {
  return reason
    .split(/[；;]/)
    .map((row) => row.trim())
    .filter((row) => row !== '');
}
