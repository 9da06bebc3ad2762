// Writes the files of one parsed reply into the output dir, and nothing else:
// only declared outputs/edits, never outside the output dir (no "..", no
// absolute paths, no escape through a symlinked parent), never over a file a
// person edited since specwright wrote it (unless forced).
//
// All files are staged in <output>/.specwright-staging/<id>/ and fsynced; only
// when every file staged OK is a journal written and each file renamed into
// place. Each file is atomic (rename); the set is not, since POSIX has no
// multi-file rename. Two measures close most of that gap: an I/O error while
// applying rolls back the files already moved (from hard-linked backups of the
// old contents), and a crash while applying leaves the journal behind, so
// recoverStagedWrites() finishes the set on the next start (roll-forward).
// The remaining gap is a crash in the middle of a rollback, which is a double
// fault; then recovery discards the staging dir and the set stays mixed.
//
// Which paths may be written at all is plans/output-path.ts's rule, shared
// with plan validation and the reply parser. The staging dir is specwright's
// own working path inside a folder that generated code can change: it must be
// a real directory, never a symlink, or nothing is staged, recovered or
// deleted there.
//
// Safety checks run before staging and are not repeated at rename time: the
// run lock (src/lock.ts) keeps other specwright runs out, and a person racing
// the build to swap a parent dir for a symlink is outside what this guards.

import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { copyFile, link, lstat, mkdir, open, readdir, readFile, realpath, rename, rm, rmdir, stat, unlink } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { sha256Hex } from "../../plans/content-hash.js";
import { STAGING_DIR_NAME, outputPathProblem, type ProjectLayout } from "../../plans/output-path.js";
import { syncDirectory } from "../fs/atomic-write.js";

export { STAGING_DIR_NAME };

const JOURNAL_NAME = "journal.json";

/** A file to write, as parsed from a reply (text) or copied from the project (bytes). */
export interface FileToWrite {
  path: string;
  content: string | Uint8Array;
}

export interface SafeWriteInput {
  /** The output dir; created if missing. Symlinks in its own path are the user's choice and are followed. */
  outputDir: string;
  /** Every file of the reply, declared or not. */
  files: readonly FileToWrite[];
  /** Paths this task creates (plan `outputs`). */
  outputs: readonly string[];
  /** Existing paths this task may modify (plan `edits`). */
  edits: readonly string[];
  /** sha256 (hex) of what specwright last wrote for each path, from state.json; undefined when never written. */
  lastWritten: Readonly<Record<string, string | undefined>>;
  /** Where the project's own files are: a task may never write them (plans/output-path.ts). */
  layout: ProjectLayout;
  /** Overwrite hand-edited files instead of reporting them as conflicts. Unsafe paths stay refused. */
  force?: boolean;
  /** Name of the staging subdir (letters, digits, ".", "_", "-"); random when omitted. */
  stagingId?: string;
}

/** A reply path that was refused, and why (quoted to the user as is). */
export interface RejectedPath {
  path: string;
  reason: string;
}

/**
 * A file that would be overwritten although a person changed it:
 * "edited" — its content differs from what specwright last wrote;
 * "unowned" — an `outputs` file that exists but specwright never wrote.
 */
export interface WriteConflict {
  path: string;
  kind: "edited" | "unowned";
  currentSha256: string;
  lastWrittenSha256?: string;
  message: string;
}

interface Reported {
  /** Safe paths the reply had but the task did not declare; not written. */
  undeclared: string[];
  /** Undeclared paths that were also unsafe; not written. */
  rejected: RejectedPath[];
}

export type SafeWriteResult =
  | (Reported & {
      ok: true;
      /** Declared paths whose content changed on disk, in reply order. */
      written: string[];
      /** Declared paths whose file already had exactly the new content (left untouched). */
      unchanged: string[];
      /** sha256 of every declared file now on disk (written and unchanged), for state.json. */
      hashes: Record<string, string>;
    })
  | (Reported & { ok: false; kind: "unsafe-path"; message: string })
  | (Reported & { ok: false; kind: "unsafe-staging"; message: string })
  | (Reported & { ok: false; kind: "conflict"; message: string; conflicts: WriteConflict[] })
  | (Reported & { ok: false; kind: "io-error"; message: string; phase: "stage" | "apply"; path?: string });

/**
 * Whether overwriting the file at `path`, whose content hashes to `current`,
 * would lose a person's work: it differs from what specwright last wrote
 * there, or it is a task output specwright never wrote. The one rule for the
 * build's check before the model call and for the write itself.
 */
export function handEditConflict(path: string, current: string, lastWritten: string | undefined, isOutput: boolean): WriteConflict | undefined {
  if (lastWritten !== undefined && lastWritten !== current) {
    return { path, kind: "edited", currentSha256: current, lastWrittenSha256: lastWritten, message: `${path} was changed since specwright last wrote it` };
  }
  if (lastWritten === undefined && isOutput) return { path, kind: "unowned", currentSha256: current, message: `${path} already exists and was not written by specwright` };
  return undefined;
}

interface Target {
  path: string;
  content: string | Uint8Array;
  sha256: string;
  /** Absolute location after resolving parent symlinks (all inside the output dir). */
  finalPath: string;
  /** Current content's hash and mode when the file exists. */
  existing?: { sha256: string; mode: number };
}

/**
 * Writes the declared files of a reply, all or nothing. See the module comment
 * for the exact atomicity guarantees. Never throws for conditions a user or a
 * model can cause; programming errors (bad stagingId) throw.
 */
export async function safeWrite(input: SafeWriteInput): Promise<SafeWriteResult> {
  const stagingId = input.stagingId ?? `${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
  if (!/^[A-Za-z0-9._-]+$/.test(stagingId) || stagingId === "." || stagingId === "..") {
    throw new Error(`invalid stagingId ${JSON.stringify(stagingId)}`);
  }
  await mkdir(input.outputDir, { recursive: true });
  const root = await realpath(input.outputDir);

  const declared = new Set([...input.outputs, ...input.edits]);
  const outputs = new Set(input.outputs);
  const reported: Reported = { undeclared: [], rejected: [] };
  const unsafeDeclared: RejectedPath[] = [];
  const targets: Target[] = [];
  const seen = new Set<string>();

  for (const file of input.files) {
    const path = file.path;
    const formProblem = outputPathProblem(path, input.layout) ?? (seen.has(path) ? "the path appears twice in the reply" : undefined);
    seen.add(path);
    if (!declared.has(path)) {
      if (formProblem === undefined) reported.undeclared.push(path);
      else reported.rejected.push({ path, reason: formProblem });
      continue;
    }
    const resolved = formProblem === undefined ? await resolveTarget(root, path) : { reason: formProblem };
    if ("reason" in resolved) {
      unsafeDeclared.push({ path, reason: resolved.reason });
      continue;
    }
    const target: Target = { path, content: file.content, sha256: sha256Hex(file.content), finalPath: resolved.finalPath };
    if (resolved.existing) {
      const [current, info] = await Promise.all([readFile(resolved.finalPath), stat(resolved.finalPath)]);
      target.existing = { sha256: sha256Hex(current), mode: info.mode & 0o7777 };
    }
    targets.push(target);
  }

  if (unsafeDeclared.length > 0) {
    const list = unsafeDeclared.map((r) => `${r.path}: ${r.reason}`).join("; ");
    return { ok: false, kind: "unsafe-path", message: `refused to write: ${list}`, rejected: [...unsafeDeclared, ...reported.rejected], undeclared: reported.undeclared };
  }

  const conflicts: WriteConflict[] = [];
  for (const t of targets) {
    if (t.existing === undefined || t.existing.sha256 === t.sha256) continue;
    const conflict = handEditConflict(t.path, t.existing.sha256, input.lastWritten[t.path], outputs.has(t.path));
    if (conflict) conflicts.push(conflict);
  }
  if (conflicts.length > 0 && input.force !== true) {
    return { ok: false, kind: "conflict", message: conflicts.map((c) => c.message).join("; "), conflicts, ...reported };
  }

  const changed = targets.filter((t) => t.existing?.sha256 !== t.sha256);
  const hashes: Record<string, string> = {};
  for (const t of targets) hashes[t.path] = t.sha256;
  const unchanged = targets.filter((t) => !changed.includes(t)).map((t) => t.path);
  if (changed.length === 0) return { ok: true, written: [], unchanged, hashes, ...reported };

  const stagingRoot = join(root, STAGING_DIR_NAME);
  const stagingDir = join(stagingRoot, stagingId);
  stagingsInFlight++;
  const unsafeStaging = await makeStagingDir(root, stagingId);
  if (unsafeStaging !== undefined) {
    stagingsInFlight--;
    return { ok: false, kind: "unsafe-staging", message: unsafeStaging, ...reported };
  }
  const staged = await stage(stagingDir, changed);
  if (!staged.ok) {
    await removeStaging(stagingRoot, stagingDir);
    return { ok: false, kind: "io-error", phase: "stage", message: `staging ${staged.path} failed: ${staged.message}; nothing was written`, path: staged.path, ...reported };
  }
  const applied = await apply(stagingDir, staged.entries);
  await removeStaging(stagingRoot, stagingDir);
  if (!applied.ok) return { ok: false, kind: "io-error", phase: "apply", message: applied.message, path: applied.path, ...reported };
  return { ok: true, written: changed.map((t) => t.path), unchanged, hashes, ...reported };
}

/**
 * Why the staging dir cannot be used, or undefined when `<output>/.specwright-staging`
 * is a real directory (or absent). A symlink there (cloned with an output
 * repo, or made by generated code a verify command ran) is never followed:
 * staging, recovering or cleaning up through it would write or delete
 * wherever it points.
 */
async function stagingRootProblem(root: string): Promise<string | undefined> {
  const stagingRoot = join(root, STAGING_DIR_NAME);
  let info;
  try {
    info = await lstat(stagingRoot);
  } catch (error) {
    return errno(error) === "ENOENT" ? undefined : `cannot inspect ${STAGING_DIR_NAME}: ${messageOf(error)}`;
  }
  if (info.isDirectory()) return undefined;
  // Shown as the person sees it from where they ran specwright; absolute when that is not below.
  const rel = relative(process.cwd(), root);
  const shown = rel.startsWith("..") ? join(root, STAGING_DIR_NAME) : join(rel, STAGING_DIR_NAME);
  const what = info.isSymbolicLink() ? "a symbolic link" : "not a directory";
  return `${shown} is ${what}; specwright stages files there and never follows links in its own working paths — remove it, then build again`;
}

/** Creates `<root>/.specwright-staging/<id>` as real directories; the reason when it must not. */
async function makeStagingDir(root: string, id: string): Promise<string | undefined> {
  const stagingRoot = join(root, STAGING_DIR_NAME);
  const dir = join(stagingRoot, id);
  const problem = await stagingRootProblem(root);
  if (problem !== undefined) return problem;
  try {
    // Another task finishing at the same moment removes the staging root once
    // it is empty (removeStaging), possibly between our two mkdirs: make it again.
    for (let attempt = 1; ; attempt++) {
      await mkdirIfAbsent(stagingRoot);
      // Checked again: the dir may have been replaced between the look and the mkdir.
      const again = await stagingRootProblem(root);
      if (again !== undefined) return again;
      try {
        await mkdirIfAbsent(dir);
        break;
      } catch (error) {
        if (errno(error) !== "ENOENT" || attempt >= 5) throw error;
      }
    }
    if (!(await lstat(dir)).isDirectory()) return `${STAGING_DIR_NAME}/${id} is not a directory; remove it, then build again`;
  } catch (error) {
    return `cannot create the staging dir ${STAGING_DIR_NAME}/${id}: ${messageOf(error)}`;
  }
  return undefined;
}

async function mkdirIfAbsent(path: string): Promise<void> {
  try {
    await mkdir(path);
  } catch (error) {
    if (errno(error) !== "EEXIST") throw error;
  }
}

type Resolved = { finalPath: string; existing: boolean } | { reason: string };

/**
 * Walks the path from the output dir, component by component, with lstat:
 * a symlinked parent must resolve inside the output dir; a parent that is a
 * file, or a final component that is a symlink or a directory, is refused.
 * Missing components are fine (created when applying).
 */
async function resolveTarget(root: string, path: string): Promise<Resolved> {
  const segments = path.split("/");
  let current = root;
  for (let k = 0; k < segments.length; k++) {
    const name = segments[k] as string;
    const next = join(current, name);
    const shown = segments.slice(0, k + 1).join("/");
    const isLast = k === segments.length - 1;
    let info;
    try {
      info = await lstat(next);
    } catch (error) {
      if (errno(error) === "ENOENT") {
        return { finalPath: join(current, ...segments.slice(k)), existing: false };
      }
      return { reason: `cannot inspect ${shown}: ${messageOf(error)}` };
    }
    if (isLast) {
      if (info.isSymbolicLink()) return { reason: `${shown} is a symbolic link; specwright neither writes through nor replaces links` };
      if (!info.isFile()) return { reason: `${shown} exists and is not a regular file` };
      return { finalPath: next, existing: true };
    }
    if (info.isSymbolicLink()) {
      let real: string;
      try {
        real = await realpath(next);
      } catch {
        return { reason: `${shown} is a symbolic link that points nowhere` };
      }
      if (!isInside(root, real)) return { reason: `${shown} is a symbolic link to ${real}, outside the output dir` };
      const realInfo = await stat(real);
      if (!realInfo.isDirectory()) return { reason: `${shown} is not a directory` };
      current = real;
    } else if (info.isDirectory()) {
      current = next;
    } else {
      return { reason: `${shown} is a file, so it cannot hold ${path}` };
    }
  }
  // Unreachable: the loop returns at the last segment.
  return { reason: `${path} could not be resolved` };
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(sep) ? root : root + sep);
}

interface JournalEntry {
  path: string;
  /** Absolute final location, resolved before staging. */
  finalPath: string;
  /** File names inside the staging dir. */
  staged: string;
  backup: string | null;
  sha256: string;
}

interface Journal {
  version: 1;
  entries: JournalEntry[];
}

type StageResult = { ok: true; entries: JournalEntry[] } | { ok: false; path: string; message: string };

async function stage(stagingDir: string, targets: readonly Target[]): Promise<StageResult> {
  const entries: JournalEntry[] = [];
  let current = STAGING_DIR_NAME;
  try {
    for (let k = 0; k < targets.length; k++) {
      const t = targets[k] as Target;
      current = t.path;
      const stagedName = `${k}.new`;
      await writeSynced(join(stagingDir, stagedName), t.content, t.existing?.mode);
      let backup: string | null = null;
      if (t.existing !== undefined) {
        backup = `${k}.old`;
        await keepOldContent(t.finalPath, join(stagingDir, backup));
      }
      entries.push({ path: t.path, finalPath: t.finalPath, staged: stagedName, backup, sha256: t.sha256 });
    }
    current = JOURNAL_NAME;
    const journal: Journal = { version: 1, entries };
    await writeSynced(join(stagingDir, JOURNAL_NAME), JSON.stringify(journal, null, 2) + "\n");
    await syncDirectory(stagingDir);
    return { ok: true, entries };
  } catch (error) {
    return { ok: false, path: current, message: messageOf(error) };
  }
}

type ApplyResult = { ok: true } | { ok: false; path: string; message: string };

async function apply(stagingDir: string, entries: readonly JournalEntry[]): Promise<ApplyResult> {
  const done: { entry: JournalEntry; createdDir: string | undefined }[] = [];
  for (const entry of entries) {
    let createdDir: string | undefined;
    try {
      createdDir = await mkdir(dirname(entry.finalPath), { recursive: true });
      await rename(join(stagingDir, entry.staged), entry.finalPath);
      done.push({ entry, createdDir });
    } catch (error) {
      if (createdDir !== undefined) await removeEmptyDirs(dirname(entry.finalPath), createdDir);
      // Without the journal a crash during rollback cannot roll this aborted set forward.
      await unlink(join(stagingDir, JOURNAL_NAME)).catch(() => undefined);
      const undone = await rollback(stagingDir, done);
      const tail = undone.length === 0
        ? "no file was changed"
        : `rolling back failed for ${undone.join(", ")}; those files hold the new content`;
      return { ok: false, path: entry.path, message: `moving ${entry.path} into place failed: ${messageOf(error)}; ${tail}` };
    }
  }
  const dirs = new Set(entries.map((e) => dirname(e.finalPath)));
  for (const dir of dirs) await syncDirectory(dir);
  return { ok: true };
}

async function rollback(stagingDir: string, done: readonly { entry: JournalEntry; createdDir: string | undefined }[]): Promise<string[]> {
  const failed: string[] = [];
  for (const { entry, createdDir } of [...done].reverse()) {
    try {
      if (entry.backup !== null) await rename(join(stagingDir, entry.backup), entry.finalPath);
      else await unlink(entry.finalPath);
      if (createdDir !== undefined) await removeEmptyDirs(dirname(entry.finalPath), createdDir);
    } catch {
      failed.push(entry.path);
    }
  }
  return failed;
}

/** Removes `from` and its parents up to and including `upTo`, as long as they are empty. */
async function removeEmptyDirs(from: string, upTo: string): Promise<void> {
  let dir = from;
  while (dir.length >= upTo.length) {
    try {
      await rmdir(dir);
    } catch {
      return;
    }
    if (dir === upTo) return;
    dir = dirname(dir);
  }
}

async function writeSynced(path: string, content: string | Uint8Array, mode?: number): Promise<void> {
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o666);
  try {
    await handle.writeFile(content);
    // Keep an executable script executable when it is replaced.
    if (mode !== undefined) await handle.chmod(mode);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A hard link costs nothing and keeps the old inode alive past the rename; copy where links are unsupported. */
async function keepOldContent(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to, constants.COPYFILE_EXCL);
  }
}

/**
 * Writes of this process between creating their staging dir and removing it.
 * Tasks of one build write at the same time (build.parallel, overlapping
 * verify), and the staging root may only go when none is in flight: removed
 * between another write's mkdir of the root and of its own dir, that write
 * would fail with ENOENT. Other processes are kept out by the run lock.
 */
let stagingsInFlight = 0;

async function removeStaging(stagingRoot: string, stagingDir: string): Promise<void> {
  await rm(stagingDir, { recursive: true, force: true });
  stagingsInFlight--;
  // Leave the parent while another staging dir (another task's) may still use it.
  if (stagingsInFlight === 0) await rmdir(stagingRoot).catch(() => undefined);
}


/** What recoverStagedWrites() found and did. */
export interface StagingRecovery {
  /** Files moved into place from an interrupted apply, with their hashes for state.json. */
  completed: { path: string; sha256: string }[];
  /** Staging dirs without a journal (staging never finished): deleted, nothing applied. */
  discarded: string[];
  /** Entries that could not be completed, with the reason. */
  problems: RejectedPath[];
  /** Why the staging dir was left alone (a symlink there): nothing was read, moved or deleted. */
  refused?: string;
}

/**
 * Finishes sets that a crash interrupted while being moved into place, and
 * deletes staging dirs that never got a journal. Call it at the start of a
 * build, while holding the run lock, and merge `completed` hashes into the
 * last-written map so the files are not mistaken for hand edits.
 */
export async function recoverStagedWrites(outputDir: string): Promise<StagingRecovery> {
  const result: StagingRecovery = { completed: [], discarded: [], problems: [] };
  let root: string;
  try {
    root = await realpath(outputDir);
  } catch {
    return result;
  }
  const stagingRoot = join(root, STAGING_DIR_NAME);
  const refused = await stagingRootProblem(root);
  if (refused !== undefined) return { ...result, refused };
  let ids: string[];
  try {
    ids = await readdir(stagingRoot);
  } catch {
    return result;
  }
  for (const id of ids.sort()) {
    const dir = join(stagingRoot, id);
    const entryInfo = await lstat(dir).catch(() => undefined);
    if (entryInfo === undefined || !entryInfo.isDirectory()) {
      // Not a staging dir of ours (a link or a file planted there): removed, never followed.
      await rm(dir, { force: true });
      result.discarded.push(id);
      continue;
    }
    const journal = await readJournal(join(dir, JOURNAL_NAME));
    if (journal === undefined) {
      result.discarded.push(id);
      await rm(dir, { recursive: true, force: true });
      continue;
    }
    for (const entry of journal.entries) {
      const from = join(dir, entry.staged);
      const stagedInfo = await lstat(from).catch(() => undefined);
      if (stagedInfo === undefined) {
        result.completed.push({ path: entry.path, sha256: entry.sha256 });
        continue;
      }
      if (!stagedInfo.isFile()) {
        result.problems.push({ path: entry.path, reason: `its staged copy ${entry.staged} is not a regular file` });
        continue;
      }
      // The journal is ours, but it sits in a user-writable dir: re-check before trusting its paths.
      const form = outputPathProblem(entry.path);
      const resolved = form === undefined ? await resolveTarget(root, entry.path) : { reason: form };
      if ("reason" in resolved || resolved.finalPath !== entry.finalPath) {
        result.problems.push({ path: entry.path, reason: "reason" in resolved ? resolved.reason : "the target moved since staging" });
        continue;
      }
      try {
        await mkdir(dirname(entry.finalPath), { recursive: true });
        await rename(from, entry.finalPath);
        result.completed.push({ path: entry.path, sha256: entry.sha256 });
      } catch (error) {
        result.problems.push({ path: entry.path, reason: messageOf(error) });
      }
    }
    await rm(dir, { recursive: true, force: true });
  }
  await rmdir(stagingRoot).catch(() => undefined);
  return result;
}

async function readJournal(path: string): Promise<Journal | undefined> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, "utf8"));
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as { version?: unknown; entries?: unknown };
  if (v.version !== 1 || !Array.isArray(v.entries)) return undefined;
  const entries: JournalEntry[] = [];
  for (const e of v.entries as unknown[]) {
    if (typeof e !== "object" || e === null) return undefined;
    const r = e as Record<string, unknown>;
    if (typeof r.path !== "string" || typeof r.finalPath !== "string" || typeof r.staged !== "string" || typeof r.sha256 !== "string") return undefined;
    if (!/^\d+\.new$/.test(r.staged)) return undefined;
    const backup = typeof r.backup === "string" ? r.backup : null;
    entries.push({ path: r.path, finalPath: r.finalPath, staged: r.staged, backup, sha256: r.sha256 });
  }
  return { version: 1, entries };
}

function errno(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error ? String((error as { code: unknown }).code) : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
