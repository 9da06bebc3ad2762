// Colour for plain (non-Ink) output: on only for a TTY, off with NO_COLOR,
// --no-color or FORCE_COLOR=0, forced on with FORCE_COLOR=1..3.

import type { RenderStyle, Severity } from "../../grammar/diagnostic.js";

export interface Palette extends RenderStyle {
  enabled: boolean;
  bold(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
}

export function colorEnabled(stream: NodeJS.WriteStream, noColorFlag: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  return stream.isTTY === true && env.TERM !== "dumb";
}

const wrap = (on: boolean, open: number, close: number) => (text: string) => (on ? `\u001b[${open}m${text}\u001b[${close}m` : text);

export function palette(enabled: boolean): Palette {
  const red = wrap(enabled, 31, 39);
  const yellow = wrap(enabled, 33, 39);
  const cyan = wrap(enabled, 36, 39);
  const bySeverity: Record<Severity, (t: string) => string> = { error: red, warning: yellow, info: cyan };
  return {
    enabled,
    severity: (severity, text) => bySeverity[severity](text),
    dim: wrap(enabled, 2, 22),
    bold: wrap(enabled, 1, 22),
    green: wrap(enabled, 32, 39),
    red,
    yellow,
  };
}
