// Reading `specwright doctor`'s text output, which wraps at 80 columns:
// a wrapped row or problem continues on lines indented by 7 or more spaces
// (a row's label starts at 2, an endpoint's models row at 4).

/** The output with each wrapped value joined back onto one line, for matching whole sentences. */
export function unwrapped(text: string): string {
  return text.replace(/\n {7,}/g, " ");
}

/** The lines wider than 80 columns (none, when doctor keeps to its width). */
export function linesOver80(text: string): string[] {
  return text.split("\n").filter((line) => line.length > 80);
}
