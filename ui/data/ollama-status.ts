// Is Ollama reachable, and what does it have installed? Asked once when the
// app opens (and again on reload); every screen keeps working on local data
// when it is not, and the shell shows a banner with the fix.

import { parseOllamaHost } from "../../models/host.js";
import { listInstalledModels, serverVersion, type InstalledModel } from "../../models/model-facts.js";
import type { SpecwrightConfig } from "../../src/config/types.js";

export type OllamaStatus =
  | { state: "checking"; host: string }
  | { state: "up"; host: string; version: string; models: InstalledModel[] }
  | { state: "down"; host: string; message: string; hint: string };

export async function probeOllama(config: SpecwrightConfig, signal?: AbortSignal): Promise<OllamaStatus> {
  const host = parseOllamaHost(config.model.host).url;
  const listed = await listInstalledModels(host, signal);
  if (!listed.ok) return { state: "down", host, message: listed.error.message, hint: listed.error.hint };
  const version = await serverVersion(host, signal);
  return { state: "up", host, version: version.ok ? version.value : "unknown", models: listed.value };
}
