// Shared set-up for adapter tests: a model run against a fake Ollama, with its events collected.

import { createServer } from "node:net";
import type { ModelEvent } from "../../models/events.js";
import { openModelRun, type ModelRun, type ModelRunSettings } from "../../models/model-run.js";
import type { FakeOllama } from "../fake-ollama/server.js";

export const MODEL = "qwen2.5-coder:14b";

export function settingsFor(fake: FakeOllama, overrides: Partial<ModelRunSettings> = {}): ModelRunSettings {
  return {
    host: fake.url,
    model: MODEL,
    think: false,
    temperature: 0.2,
    seed: 42,
    keepAlive: "30m",
    numCtx: "auto",
    largestPromptTokens: 1000,
    outputBudget: 512,
    stallTimeoutMs: 5000,
    ...overrides,
  };
}

export async function openRun(
  fake: FakeOllama,
  overrides: Partial<ModelRunSettings> = {},
): Promise<{ run: ModelRun; events: ModelEvent[] }> {
  const events: ModelEvent[] = [];
  const opened = await openModelRun(settingsFor(fake, { onEvent: (e) => events.push(e), ...overrides }));
  if (!opened.ok) throw new Error(`expected the run to open: ${opened.error.message}`);
  return { run: opened.value, events };
}

/** A port nothing listens on: bound once by us, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves with the elapsed ms, or rejects if `promise` takes longer than `ms`. */
export async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const user = (content: string) => [{ role: "user" as const, content }];
