// Small rules for the dossier screens (打印档案), kept out of the components so that they can be tested.

/** Characters not allowed in file names on Windows, macOS or Linux; the core's `dossier::file_name` uses the same. */
const FORBIDDEN = /[/\\:*?"<>|\p{Cc}]/gu;

/**
 * A person's name made safe as the start of a file name: forbidden characters become `_`, and leading or trailing
 * dots and spaces go. Never empty: a name with nothing left is `_`.
 */
export function fileStem(name: string): string {
  const clean = name.trim().replace(FORBIDDEN, '_').replace(/^[.\s]+|[.\s]+$/gu, '');
  return clean || '_';
}

/** The characters a dossier could not draw, as the warning lists them: space-separated, each once. */
export function charList(chars: readonly string[]): string {
  return [...new Set(chars)].join(' ');
}
