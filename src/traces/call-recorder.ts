// Writes one model call to its folder as it happens: prompt.md and meta.json
// before the request is sent, response.md (and thinking.md) appended delta by
// delta with synchronous writes, meta.json replaced atomically at the end. A
// crash or Ctrl-C mid-call leaves the prompt, the partial reply and a meta.json
// that still says "in-progress".

import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { CallRecord, CallRecorder, CallStart } from "../../models/call-record.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { withPath } from "../fs/file-problem.js";
import type { Redactor, StreamRedactor } from "./redact.js";

export const PROMPT_FILE = "prompt.md";
export const RESPONSE_FILE = "response.md";
export const THINKING_FILE = "thinking.md";
export const META_FILE = "meta.json";

/** meta.json: the call without its messages (those are in prompt.md), plus the outcome so far. */
export type CallMeta = Omit<CallStart, "messages"> & {
  messageCount: number;
  outcome: "in-progress" | CallRecord["outcome"];
} & Partial<Pick<CallRecord, "finishedAt" | "doneReason" | "metrics" | "error" | "truncationSuspected">>;

export class FileCallRecorder implements CallRecorder {
  private readonly files = new Map<"content" | "thinking", { fd: number; redactor: StreamRedactor }>();
  /** The first failed write of a delta (a full disk), thrown by finished(). */
  private writeError: unknown;

  constructor(
    /** Absolute folder of this call, e.g. <run>/tasks/T003/attempt-1. */
    readonly dir: string,
    private readonly redactor: Redactor,
  ) {}

  async started(call: CallStart): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    await writeFileAtomic(join(this.dir, PROMPT_FILE), this.redactor.redact(renderPrompt(call)));
    await this.writeMeta({ ...metaOf(call), outcome: "in-progress" });
    // response.md exists from the start, so an empty reply reads as "nothing arrived".
    this.file("content");
  }

  delta(kind: "content" | "thinking", text: string): void {
    // A delta arrives inside the model stream: a write error thrown here would
    // be taken for the server's. It is kept and thrown when the call finishes.
    if (this.writeError) return;
    try {
      const file = this.file(kind);
      const safe = file.redactor.push(text);
      if (safe !== "") writeSync(file.fd, safe);
    } catch (error) {
      this.writeError = withPath(error, join(this.dir, kind === "content" ? RESPONSE_FILE : THINKING_FILE));
    }
  }

  async finished(record: CallRecord): Promise<void> {
    for (const [kind, file] of this.files) {
      try {
        const rest = file.redactor.flush();
        if (rest !== "" && !this.writeError) writeSync(file.fd, rest);
      } catch (error) {
        this.writeError ??= withPath(error, join(this.dir, kind === "content" ? RESPONSE_FILE : THINKING_FILE));
      } finally {
        closeSync(file.fd);
      }
    }
    this.files.clear();
    if (this.writeError) throw this.writeError;
    const { messages: _messages, ...rest } = record;
    await this.writeMeta({ ...rest, messageCount: record.messages.length });
  }

  private file(kind: "content" | "thinking") {
    let file = this.files.get(kind);
    if (!file) {
      const name = kind === "content" ? RESPONSE_FILE : THINKING_FILE;
      file = { fd: openSync(join(this.dir, name), "a"), redactor: this.redactor.stream() };
      this.files.set(kind, file);
    }
    return file;
  }

  private async writeMeta(meta: CallMeta): Promise<void> {
    await writeFileAtomic(join(this.dir, META_FILE), this.redactor.redact(JSON.stringify(meta, null, 2)) + "\n");
  }
}

function metaOf(call: CallStart): CallMeta {
  const { messages, ...rest } = call;
  return { ...rest, messageCount: messages.length, outcome: "in-progress" };
}

/**
 * The exact messages, each under a `## [n] role` heading, content verbatim.
 * A structured call's schema follows as a JSON block.
 */
export function renderPrompt(call: CallStart): string {
  const o = call.options;
  const head = [
    `# ${call.callId}`,
    "",
    `model ${call.model}${call.digest ? ` (${call.digest.slice(0, 12)})` : ""} · num_ctx ${o.numCtx} · num_predict ${o.numPredict} · temperature ${o.temperature}` +
      `${o.seed !== undefined ? ` · seed ${o.seed}` : ""} · think ${o.think ? "on" : "off"} · keep_alive ${o.keepAlive}`,
    `~${call.estimatedPromptTokens} tokens estimated · ${call.messages.length} messages`,
  ];
  const body = call.messages.map((m, i) => `## [${i + 1}] ${m.role}\n\n${m.content}`);
  const format = call.format ? [`## format (JSON schema)\n\n\`\`\`json\n${JSON.stringify(call.format, null, 2)}\n\`\`\``] : [];
  return [head.join("\n"), ...body, ...format].join("\n\n") + "\n";
}
