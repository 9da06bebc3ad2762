// The one rule for the files a task may write (plan `outputs` and `edits`).
// Plan validation (`plan --check`), the reply parser and safe writes all ask
// this module, so a path that one of them accepts is accepted by all three,
// and a refused path is refused everywhere with the same words. Pure: paths in,
// reasons out; the disk-level checks (symlinks) stay in src/build/safe-write.ts.

/** The staging area's name inside the output dir (src/build/safe-write.ts); never an output. */
export const STAGING_DIR_NAME = ".specwright-staging";

/** specwright's own folder in the project root: plan, state, findings, runs, lock. */
export const SPECWRIGHT_DIR = ".specwright";

/** Project files specwright reads from the project root (src/config/load.ts). */
export const PROJECT_CONFIG_FILES: readonly string[] = ["specwright.toml", "ossature.toml"];

/** Extensions of the spec files a spec dir holds (DESIGN.md §4). */
const SPEC_EXTENSIONS = [".smd", ".amd", ".vmd"];

/**
 * Where the project's own files are, relative to the project root. With
 * `output.dir = "."` (documented) they share a folder with generated code,
 * and a task must never be able to write them.
 */
export interface ProjectLayout {
  /** The output dir ("." for the project root itself). */
  outputDir: string;
  specDir: string;
  contextDir: string;
}

/**
 * The spelling every component compares: "." and empty segments dropped, so
 * `src/./a.py`, `./src//a.py` and `src/a.py` name one file. A leading "/" is
 * kept, so an absolute path stays absolute (and refused by name).
 */
export function canonicalPath(path: string): string {
  const absolute = path.startsWith("/");
  const parts = path.split("/").filter((part) => part !== "" && part !== ".");
  return (absolute ? "/" : "") + parts.join("/");
}

/**
 * Why a task may not write `path` (relative to the output dir), or undefined
 * when it may. `layout` adds the project's own files to what is refused; it is
 * left out only where the project is unknown (a plan from a model before the
 * project's layout is read).
 *
 * A path must be written in its canonical form: a plan that says
 * `src/./count.mjs` is refused with the spelling to use, instead of passing
 * `plan --check` and then never matching the file the model sends.
 */
export function outputPathProblem(path: string, layout?: ProjectLayout): string | undefined {
  if (path.trim() === "") return "the path is empty";
  if (/[\u0000-\u001f\u007f]/.test(path)) return "the path contains a control character (such as NUL or a line break)";
  if (path.startsWith("/") || path.startsWith("~") || /^[A-Za-z]:/.test(path)) {
    return "the path is absolute; paths are relative to the output dir";
  }
  if (path.includes("\\")) return 'the path contains a backslash; use "/" between directories';
  // A reply names files in Markdown, where a backtick is code: such a name could never be sent back.
  if (path.includes("`")) return "the path contains a backtick, which a reply cannot name";
  const segments = path.split("/");
  if (segments.includes("..")) return 'the path contains ".." and could leave the output dir';
  if (path.endsWith("/")) return 'the path ends with "/", so it names a directory, not a file';
  if (segments.some((s) => s === "" || s === ".")) {
    return `the path has an empty or "." component; write it as "${canonicalPath(path)}"`;
  }
  if (segments.some((s) => s.trim() !== s)) return "a component of the path starts or ends with a space";
  // Case-insensitive: on macOS and Windows file systems `.GIT` is `.git`.
  const lower = segments.map((s) => s.toLowerCase());
  // .git/hooks would run the model's code on the next commit.
  if (lower.includes(".git")) return "the path is inside a .git directory";
  if (lower[0] === STAGING_DIR_NAME) return `the path is inside specwright's staging dir ${STAGING_DIR_NAME}`;
  return layout === undefined ? undefined : reservedProblem(lower.join("/"), layout);
}

/** The project's own files, seen from the output dir; `lowerPath` is canonical and lower-case. */
function reservedProblem(lowerPath: string, layout: ProjectLayout): string | undefined {
  const out = canonicalPath(layout.outputDir);
  const reserved: { at: string; what: string; dir: boolean }[] = [
    ...PROJECT_CONFIG_FILES.map((f) => ({ at: f, what: `specwright's project config ${f}`, dir: false })),
    { at: SPECWRIGHT_DIR, what: `specwright's own folder ${SPECWRIGHT_DIR}/`, dir: true },
    { at: canonicalPath(layout.specDir), what: `the spec dir ${canonicalPath(layout.specDir) || "."}/`, dir: true },
    { at: canonicalPath(layout.contextDir), what: `the context dir ${canonicalPath(layout.contextDir) || "."}/`, dir: true },
  ];
  for (const r of reserved) {
    const inOutput = relativeInside(out, r.at);
    if (inOutput !== undefined && inOutput !== "") {
      // The reserved place is inside the output dir: refuse it and (for a dir) everything under it.
      const at = inOutput.toLowerCase();
      if (lowerPath === at) return `the path is ${r.what}`;
      if (r.dir && lowerPath.startsWith(at + "/")) return `the path is inside ${r.what}`;
      continue;
    }
    if (!r.dir || relativeInside(r.at, out) === undefined) continue;
    // The output dir is a reserved dir or lies inside one.
    if (r.at === SPECWRIGHT_DIR) return `the output dir is inside ${r.what}; no task may write there`;
    // A spec dir's files are read as specs by their extension; other files there are harmless.
    if (r.at === canonicalPath(layout.specDir) && SPEC_EXTENSIONS.some((ext) => lowerPath.endsWith(ext))) {
      return `the path would be read as a spec in ${r.what}`;
    }
    // An output dir inside the context dir: context files are only read when a task names them.
  }
  return undefined;
}

/**
 * `target` relative to `base` when it is `base` itself ("") or inside it,
 * else undefined. Both canonical, relative to the project root ("" = root).
 * Compared case-insensitively, like the file systems that fold case.
 */
function relativeInside(base: string, target: string): string | undefined {
  const b = base.toLowerCase();
  const t = target.toLowerCase();
  if (b === "") return target;
  if (t === b) return "";
  return t.startsWith(b + "/") ? target.slice(base.length + 1) : undefined;
}
