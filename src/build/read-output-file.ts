// Reads a file of the output dir for a prompt, and nothing outside it: a file
// (or a parent dir) that is a symbolic link resolving outside the output dir
// is refused, so a dependency's output replaced by a link to ~/.ssh/id_rsa is
// never sent to the model or kept in prompt.md (issue 9 item 20). Links that
// stay inside the output dir are read, as safe writes follow them too.

import { readFile, realpath } from "node:fs/promises";
import { join, relative, sep } from "node:path";

export type OutputFileRead =
  | { kind: "read"; content: string }
  | { kind: "missing" }
  /** The path resolves outside the output dir; `message` says where, for the task's failure. */
  | { kind: "outside"; message: string };

export async function readOutputFile(outputDir: string, path: string): Promise<OutputFileRead> {
  let root: string;
  let real: string;
  try {
    root = await realpath(outputDir);
    real = await realpath(join(outputDir, path));
  } catch {
    return { kind: "missing" };
  }
  if (real !== root && !real.startsWith(root.endsWith(sep) ? root : root + sep)) {
    const shown = relative(root, real).startsWith("..") ? real : relative(root, real);
    return { kind: "outside", message: `${path} resolves to ${shown}, outside the output dir (a symbolic link); specwright reads nothing outside the output dir into a prompt` };
  }
  try {
    return { kind: "read", content: await readFile(real, "utf8") };
  } catch {
    return { kind: "missing" };
  }
}
