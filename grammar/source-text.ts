// Input normalisation shared by every spec parser: a leading UTF-8 BOM is
// dropped and CRLF / lone CR become LF. Both edits keep every line/column
// position unchanged (a line terminator never has a column of its own and the
// BOM is invisible in editors), so diagnostics computed on the normalised text
// point at the right place in the original file.

/** Text ready for the lexers: no BOM, `\n` line endings only. */
export function normalizeSource(text: string): string {
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // The fast path matters for the 2 MB case: most files have no CR at all.
  return withoutBom.includes("\r") ? withoutBom.replace(/\r\n?/g, "\n") : withoutBom;
}

/** True when the text has nothing but whitespace (an empty spec is an error, not an empty AST). */
export function isBlank(text: string): boolean {
  return /^\s*$/.test(text);
}
