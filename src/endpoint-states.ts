// What each model endpoint is right now, for `specwright doctor` and
// `specwright models`: reachable or not (and why), the server's version, the
// models it serves (what it has, narrowed to the entry's `models` list), and
// its slots. Asked of every endpoint side by side; nothing here prints.

import { effectiveEndpoints, endpointLabel } from "./config/endpoints.js";
import type { EndpointConfig, EndpointKind, SpecwrightConfig } from "./config/types.js";
import { parseOllamaHost } from "../models/host.js";
import { canonicalModelName, listInstalledModels, serverVersion } from "../models/model-facts.js";
import type { ModelError } from "../models/errors.js";
import { openAiEndpoint } from "../models/openai-run.js";
import { openAiServerFacts } from "../models/openai-server.js";

export interface EndpointState {
  endpoint: string;
  kind: EndpointKind;
  slots: number;
  /** Where the entry is written ("specwright.toml:12"), or "model.host" for the single default. */
  source: string;
  reachable: boolean;
  version: string | null;
  /** The models it serves: what the server lists, narrowed to the entry's `models` when it has one. */
  models: string[];
  /** Models the entry lists that the server does not have. */
  missing: string[];
  /** Requests the server says it runs at once (llama-server's total_slots), when it says. */
  serverSlots?: number;
  /** The API key variable's name and whether it is set (never its value). */
  apiKeyEnv?: { name: string; set: boolean };
  problem?: { message: string; hint: string; kind: ModelError["kind"] };
}

export async function endpointStates(config: SpecwrightConfig, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<EndpointState[]> {
  return Promise.all(effectiveEndpoints(config).map((e) => endpointState(e, env, signal)));
}

async function endpointState(endpoint: EndpointConfig, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<EndpointState> {
  const state: EndpointState = {
    endpoint: endpointLabel(endpoint),
    kind: endpoint.kind,
    slots: endpoint.slots,
    source: endpoint.source,
    reachable: false,
    version: null,
    models: [],
    missing: [],
    ...(endpoint.apiKeyEnv !== undefined ? { apiKeyEnv: { name: endpoint.apiKeyEnv, set: (env[endpoint.apiKeyEnv] ?? "") !== "" } } : {}),
  };
  const listed = await servedModels(endpoint, env, signal);
  if (!listed.ok) {
    state.problem = { message: listed.error.message, hint: listed.error.hint, kind: listed.error.kind };
    return state;
  }
  state.reachable = true;
  state.version = listed.version;
  if (listed.slots !== undefined) state.serverSlots = listed.slots;
  const have = new Set(listed.models.map(canonicalModelName));
  if (endpoint.models) {
    state.models = endpoint.models.filter((m) => have.has(canonicalModelName(m)));
    state.missing = endpoint.models.filter((m) => !have.has(canonicalModelName(m)));
  } else {
    state.models = [...listed.models].sort();
  }
  return state;
}

/** The server's models and version, through the adapter's own requests for its kind. */
async function servedModels(
  endpoint: EndpointConfig,
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
): Promise<{ ok: true; models: string[]; version: string | null; slots?: number } | { ok: false; error: ModelError }> {
  if (endpoint.kind === "openai") {
    const key = endpoint.apiKeyEnv !== undefined ? env[endpoint.apiKeyEnv] : undefined;
    const facts = await openAiServerFacts(openAiEndpoint(endpoint.url, key), signal);
    if (!facts.ok) return facts;
    const f = facts.value;
    return { ok: true, models: f.models.map((m) => m.id), version: f.version ?? null, ...(f.totalSlots !== undefined ? { slots: f.totalSlots } : {}) };
  }
  const host = parseOllamaHost(endpoint.url);
  const listed = await listInstalledModels(host, signal);
  if (!listed.ok) return listed;
  const version = await serverVersion(host, signal);
  return { ok: true, models: listed.value.map((m) => m.name), version: version.ok ? version.value : null };
}
