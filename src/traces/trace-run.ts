// A run's trace folder: created when an audit, plan or build starts, handing
// out one recorder per model call, summarised in run.json when the run ends.
// Opening a run prunes the oldest ones beyond `traces.keep_runs`.

import { join } from "node:path";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { FileCallRecorder } from "./call-recorder.js";
import { callPath } from "./layout.js";
import { Redactor, secretsFromEnv } from "./redact.js";
import { createRunFolder, pruneRuns } from "./run-folder.js";

export const RUN_FILE = "run.json";

export interface RunInfo {
  id: string;
  command: string;
  startedAt: string;
  finishedAt?: string;
  /** Whatever the command wants a reader to know: model, options, config hash, summary… */
  [key: string]: unknown;
}

export interface OpenTraceRunOptions {
  projectRoot: string;
  command: string;
  /** Values of secret-looking variables in here are redacted from every file. */
  env: NodeJS.ProcessEnv;
  /** traces.keep_runs: runs kept including this one; 0 keeps all. */
  keepRuns: number;
  /** Extra run.json fields known at the start (model, options, config hash). */
  info?: Record<string, unknown>;
  now?: Date;
}

export class TraceRun {
  private readonly callCounts = new Map<string, number>();

  private constructor(
    readonly id: string,
    readonly dir: string,
    private readonly redactor: Redactor,
    private info: RunInfo,
  ) {}

  static async open(options: OpenTraceRunOptions): Promise<{ run: TraceRun; pruned: string[] }> {
    const now = options.now ?? new Date();
    const { id, dir } = await createRunFolder(options.projectRoot, options.command, now);
    const run = new TraceRun(id, dir, new Redactor(secretsFromEnv(options.env)), {
      ...options.info,
      id,
      command: options.command,
      startedAt: now.toISOString(),
    });
    await run.writeInfo();
    const pruned = await pruneRuns(options.projectRoot, options.keepRuns, [id]);
    return { run, pruned };
  }

  /** A recorder for a run-relative call folder, e.g. `taskAttemptPath("T003", 1)`. */
  recorder(relativePath: string): FileCallRecorder {
    return new FileCallRecorder(this.path(relativePath), this.redactor);
  }

  /** A recorder in `calls/<caller>-<n>/`, n counting up per caller within the run. */
  nextCallRecorder(caller: string): FileCallRecorder {
    const n = (this.callCounts.get(caller) ?? 0) + 1;
    this.callCounts.set(caller, n);
    return this.recorder(callPath(caller, n));
  }

  /** Absolute path of a file or folder in the run (for verify.log and the like). */
  path(relativePath: string): string {
    return join(this.dir, relativePath);
  }

  /** The run's redactor, for events and output that leave the process (screens, stdout, CI logs). */
  get secrets(): Redactor {
    return this.redactor;
  }

  /** Redacts text the caller writes itself (verify logs). */
  redact(text: string): string {
    return this.redactor.redact(text);
  }

  /** Records the end of the run with its summary. */
  async finish(summary: Record<string, unknown>, now = new Date()): Promise<void> {
    this.info = { ...this.info, ...summary, finishedAt: now.toISOString() };
    await this.writeInfo();
  }

  private async writeInfo(): Promise<void> {
    await writeFileAtomic(join(this.dir, RUN_FILE), this.redactor.redact(JSON.stringify(this.info, null, 2)) + "\n");
  }
}
