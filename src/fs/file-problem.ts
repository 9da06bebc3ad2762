// A file system state a person can fix (a directory where a file belongs, a
// full disk, a read-only folder), told apart from a bug: Node's errors carry
// a code, a path and the failed call, which is everything a clear message needs.

export interface FileProblem {
  code: string;
  /** The path the failed call was about, when Node says. */
  path?: string;
  /** What is wrong, in words: "it is a directory". */
  reason: string;
  hint: string;
}

const PROBLEMS: Record<string, { reason: string; hint: string }> = {
  EISDIR: { reason: "it is a directory, where a file belongs", hint: "move the directory out of the way (specwright writes a file there)" },
  ENOTDIR: { reason: "a part of the path is a file, where a directory belongs", hint: "move that file out of the way, or point the setting at a directory" },
  ENOSPC: { reason: "no space left on the device", hint: "free some disk space and run it again" },
  EDQUOT: { reason: "the disk quota is used up", hint: "free some space within your quota and run it again" },
  EACCES: { reason: "permission denied", hint: "check the permissions of the file and its folder" },
  EPERM: { reason: "operation not permitted", hint: "check the permissions and attributes of the file and its folder" },
  EROFS: { reason: "the file system is read-only", hint: "run specwright where it can write, or remount the file system read-write" },
  EMFILE: { reason: "too many open files", hint: "raise the open-file limit (ulimit -n) and run it again" },
  ENFILE: { reason: "the system has too many open files", hint: "close other programs or raise the system's open-file limit" },
  EIO: { reason: "an input/output error from the device", hint: "check the disk (dmesg); the device may be failing" },
  ELOOP: { reason: "too many levels of symbolic links", hint: "a symbolic link on the path points back at itself; fix or remove it" },
  ENAMETOOLONG: { reason: "the path is too long", hint: "use a shorter project path or file name" },
  EBUSY: { reason: "the file is busy", hint: "close the program holding it and run it again" },
  ETXTBSY: { reason: "the file is busy", hint: "close the program running it and run it again" },
};

/** The problem behind a file system error, or undefined for anything else (a bug stays a bug). */
export function fileProblem(error: unknown): FileProblem | undefined {
  if (!(error instanceof Error)) return undefined;
  const e = error as NodeJS.ErrnoException;
  const known = e.code === undefined ? undefined : PROBLEMS[e.code];
  if (!known || e.code === undefined) return undefined;
  return { code: e.code, ...(e.path !== undefined ? { path: e.path } : {}), ...known };
}

/** "cannot write /p/x: no space left on the device (ENOSPC)". */
export function describeFileProblem(problem: FileProblem, fallbackPath?: string): string {
  const path = problem.path ?? fallbackPath;
  return `${path ? `${path}: ` : ""}${problem.reason} (${problem.code})`;
}

/**
 * Gives a file system error the path a person knows: a call on a file
 * descriptor names none, and a temp file's name means nothing to them.
 */
export function withPath<E>(error: E, path: string): E {
  if (error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string") (error as NodeJS.ErrnoException).path = path;
  return error;
}
