// Is Ollama reachable, and what does it have installed? Asked once when the
// app opens (and again on reload); every screen keeps working on local data
// when it is not, and the shell shows a banner with the fix.

import { parseOllamaHost, type OllamaHost } from "../../models/host.js";
import { listInstalledModels, serverVersion, type InstalledModel } from "../../models/model-facts.js";
import type { SpecwrightConfig } from "../../src/config/types.js";

export type OllamaStatus =
  | { state: "checking"; host: string }
  /** `host` is the printable URL; `endpoint` also carries the host's credentials, for requests. */
  | { state: "up"; host: string; endpoint: OllamaHost; version: string; models: InstalledModel[] }
  | { state: "down"; host: string; message: string; hint: string };

export async function probeOllama(config: SpecwrightConfig, signal?: AbortSignal): Promise<OllamaStatus> {
  const endpoint = parseOllamaHost(config.model.host);
  const host = endpoint.url;
  const listed = await listInstalledModels(endpoint, signal);
  if (!listed.ok) return { state: "down", host, message: listed.error.message, hint: listed.error.hint };
  const version = await serverVersion(endpoint, signal);
  return { state: "up", host, endpoint, version: version.ok ? version.value : "unknown", models: listed.value };
}
