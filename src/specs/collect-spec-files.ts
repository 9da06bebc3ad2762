// Finds and reads spec files (*.smd, *.amd, *.vmd) from files and folders,
// decoding them strictly. Reading is I/O, so it lives here; parsing is pure
// and lives in grammar/.

import { readFile, readdir, stat } from "node:fs/promises";
import { extname, join, relative } from "node:path";
import { diagnostic, type Diagnostic } from "../../grammar/diagnostic.js";
import { decodeSource } from "../text/decode-source.js";

export const SPEC_EXTENSIONS = [".smd", ".amd", ".vmd"] as const;

export interface SpecSource {
  /** Path as shown to the user (relative to the working directory when inside it). */
  file: string;
  /** Absolute path. */
  path: string;
  text: string;
}

export interface CollectedSpecs {
  sources: SpecSource[];
  diagnostics: Diagnostic[];
  /** Some path named a folder: its files form a project and get the cross-file checks. */
  folders: boolean;
}

export interface CollectOptions {
  /**
   * How a folder without spec files is reported: an error when the user named
   * it (probably the wrong folder), a warning for a project's spec_dir, which
   * `ossature init` (and a fresh project) leaves empty.
   */
  emptyFolder?: "error" | "warning";
}

function isSpecFile(name: string): boolean {
  return (SPEC_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase());
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    // Hidden folders (.git, .specwright) and node_modules never hold specs.
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, out);
    else if (entry.isFile() && isSpecFile(entry.name)) out.push(path);
  }
}

/**
 * Reads every spec file named by `paths` (absolute or relative to `cwd`):
 * files are taken as given, folders are searched recursively. Problems (a
 * missing path, a folder without specs, invalid UTF-8) are diagnostics.
 */
export async function collectSpecFiles(paths: string[], cwd: string, options: CollectOptions = {}): Promise<CollectedSpecs> {
  const diagnostics: Diagnostic[] = [];
  const files: string[] = [];
  let folders = false;
  const shown = (path: string) => {
    const rel = relative(cwd, path);
    return rel === "" || rel.startsWith("..") ? path : rel;
  };
  for (const given of paths) {
    const path = join(given.startsWith("/") ? "" : cwd, given);
    let info;
    try {
      info = await stat(path);
    } catch {
      diagnostics.push(diagnostic("error", given, 0, 0, `no such file or folder: ${given}`, { code: "specs/missing-path" }));
      continue;
    }
    if (info.isDirectory()) {
      folders = true;
      const found: string[] = [];
      await walk(path, found);
      if (found.length === 0) {
        diagnostics.push(
          diagnostic(options.emptyFolder ?? "error", shown(path) || ".", 0, 0, "no spec files (*.smd, *.amd, *.vmd) in this folder", {
            hint: "create one with `specwright new <name>`, or point at the folder that holds your specs",
            code: "specs/no-specs",
          }),
        );
      }
      files.push(...found);
    } else if (!isSpecFile(path)) {
      diagnostics.push(
        diagnostic("error", shown(path), 0, 0, "not a spec file", { hint: "spec files end in .smd, .amd or .vmd", code: "specs/not-a-spec" }),
      );
    } else {
      files.push(path);
    }
  }
  const unique = [...new Set(files)];
  const sources: SpecSource[] = [];
  await Promise.all(
    unique.map(async (path, index) => {
      const bytes = await readFile(path);
      const decoded = decodeSource(bytes, shown(path));
      if (decoded.ok) sources[index] = { file: shown(path), path, text: decoded.text };
      else diagnostics.push(decoded.diagnostic);
    }),
  );
  return { sources: sources.filter((s) => s !== undefined), diagnostics, folders };
}
