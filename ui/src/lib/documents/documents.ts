// The 生成文书 dialog's small rules (issue 19), kept out of the components so that they can be tested: which of the
// core's documents the dialog offers, the people of a batch in the list's order, and the name a saved document gets
// by default. Which document is about which stage, and which is made for several people at once, is the core's
// (`DocumentInfo.stage`, `batch`): nothing here knows the procedure.

import type { DocumentInfo } from '../api/bindings/DocumentInfo';
import type { Stage } from '../api/bindings/Stage';
import { fileStem } from '../dossier';

/** Whom the dialog makes documents about: one member, at their stage (their page), or several chosen in the list. */
export type DocumentsFor = { kind: 'member'; stage: Stage } | { kind: 'batch' };

/** A person a document is about, as the dialog names them. */
export interface DocumentPerson {
  id: number;
  name: string;
}

/**
 * The documents offered, in the core's order: on a member's page those about their stage or any stage; for a
 * batch those the core makes for several people at once, of any stage (it refuses a person at a stage before the
 * document's, naming them).
 */
export function offeredDocuments(all: readonly DocumentInfo[], mode: DocumentsFor): DocumentInfo[] {
  if (mode.kind === 'batch') return all.filter((d) => d.batch);
  return all.filter((d) => d.stage === null || d.stage === mode.stage);
}

/** A person ticked in the list, with where they stood in it when ticked. */
export interface Ticked extends DocumentPerson {
  /** The row's place in the list. */
  index: number;
}

/** The people ticked, in the list's order (as ticked, each once). */
export function inListOrder(ticked: Iterable<Ticked>): DocumentPerson[] {
  return [...ticked].sort((a, b) => a.index - b.index).map(({ id, name }) => ({ id, name }));
}

/** Whether the header's checkbox is ticked (every loaded row is), half ticked (some are) or not (none is). */
export function tickState(loaded: readonly number[], isTicked: (id: number) => boolean): 'all' | 'some' | 'none' {
  const n = loaded.filter(isTicked).length;
  if (n === 0) return 'none';
  return n === loaded.length ? 'all' : 'some';
}

export type DocumentFormat = 'docx' | 'pdf';

/** The formats the core writes a document in, as the dialog offers them: Word first. */
export const DOCUMENT_FORMATS: readonly DocumentFormat[] = ['docx', 'pdf'];

/**
 * The name the save dialog proposes: the document's title and whom it is about, `发展对象公示-张三.docx`; for
 * several people the first named with how many they are, in words the caller gives (`several`, from the catalogue).
 * What a file system refuses is taken out of each part (`fileStem`).
 */
export function documentFileName(
  title: string,
  people: readonly DocumentPerson[],
  format: DocumentFormat,
  several: (first: string, n: number) => string,
): string {
  const first = people[0];
  const whom = !first ? null : people.length === 1 ? fileStem(first.name) : fileStem(several(first.name, people.length));
  return `${fileStem(title)}${whom === null ? '' : `-${whom}`}.${format}`;
}

/** The format a path's extension names (`.docx`, `.pdf`, in any case), or `null`: the core writes by the extension. */
export function formatOf(path: string): DocumentFormat | null {
  const m = /\.(docx|pdf)$/i.exec(path.trim());
  return m ? (m[1]!.toLowerCase() as DocumentFormat) : null;
}

/**
 * A typed path with the format chosen: a `.docx` or `.pdf` extension swapped, a name without one given it. A path
 * with another extension is left as typed (the core refuses it and says why), as is a blank one.
 */
export function withFormat(path: string, format: DocumentFormat): string {
  const trimmed = path.trim();
  if (trimmed === '') return path;
  if (formatOf(trimmed) !== null) return trimmed.replace(/\.(docx|pdf)$/i, `.${format}`);
  const name = trimmed.split(/[/\\]/).pop() ?? '';
  if (name === '' || name.includes('.')) return path;
  return `${trimmed}.${format}`;
}

/** The longest a preview's table cell is and still kept on one line: a name, a date, a number, a short answer. */
const ONE_LINE_CHARS = 16;

/**
 * Whether a cell of a preview's table is kept on one line (a name or a date broken over two lines misreads); a
 * longer text, or one with its own line breaks, wraps.
 */
export function keptOnOneLine(cell: string): boolean {
  return !cell.includes('\n') && [...cell].length <= ONE_LINE_CHARS;
}
