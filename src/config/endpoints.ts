// `[[model.endpoints]]`: the model servers a build may spread its tasks over.
// Each entry is read field by field, so a problem is a diagnostic at the
// field's own line:column with a hint. No entries means the one Ollama at
// `[model] host` / OLLAMA_HOST, as before endpoints existed.

import { diagnostic, type Diagnostic } from "../../grammar/diagnostic.js";
import { closest } from "../../grammar/did-you-mean.js";
import { OLLAMA_HOST_FORMS, checkOllamaHost, parseOllamaHost, redactHostCredentials } from "../../models/host.js";
import { ENDPOINT_KINDS, type ConfigSource, type EndpointConfig, type EndpointKind, type SpecwrightConfig } from "./types.js";

/** The fields an entry takes, in the order the docs list them. */
export const ENDPOINT_FIELDS = ["url", "kind", "slots", "models", "api_key_env"] as const;

/** Most concurrent requests one endpoint may be given (vLLM batches far more, but a build has few tasks at once). */
export const MAX_ENDPOINT_SLOTS = 64;

type Locate = (path: (string | number)[]) => { line: number; column: number };

const KIND_HINT = 'kind = "ollama" for an Ollama server; kind = "openai" for an OpenAI-compatible one (llama-server, vLLM, SGLang, LM Studio, LiteLLM)';

/**
 * Reads the value of `model.endpoints` from one config file. Returns the
 * entries when every one is valid (a file with a bad entry contributes none,
 * so a build never runs on half of what the person listed), and the problems.
 */
export function readEndpoints(value: unknown, file: string, locate: Locate): { endpoints?: EndpointConfig[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const error = (path: (string | number)[], length: number, message: string, hint: string) => {
    const at = locate(path);
    diagnostics.push(diagnostic("error", file, at.line, at.column, message, { hint, length, code: "config/bad-endpoint" }));
  };
  if (!Array.isArray(value) || value.some((v) => !isTable(v))) {
    error(["model", "endpoints"], "endpoints".length, "model.endpoints must be a list of tables, one per server", 'write each server as its own [[model.endpoints]] table with url = "…" and kind = "ollama" or "openai"');
    return { diagnostics };
  }
  const endpoints: EndpointConfig[] = [];
  const seen = new Map<string, number>();
  value.forEach((entry: Record<string, unknown>, i) => {
    const at = (field?: string) => (field === undefined ? ["model", "endpoints", i] : ["model", "endpoints", i, field]);
    const where = locate(at());
    const before = diagnostics.length;
    for (const name of Object.keys(entry)) {
      if ((ENDPOINT_FIELDS as readonly string[]).includes(name)) continue;
      const guess = closest(name, ENDPOINT_FIELDS);
      error(at(name), name.length, `unknown field "${name}" in [[model.endpoints]]`, guess ? `did you mean ${guess}?` : `an endpoint takes ${ENDPOINT_FIELDS.join(", ")}`);
    }

    const kind = entry["kind"];
    let endpointKind: EndpointKind | undefined;
    if (kind === undefined) error(at(), "[[model.endpoints]]".length, "this endpoint has no kind", KIND_HINT);
    else if (typeof kind !== "string" || !(ENDPOINT_KINDS as readonly string[]).includes(kind)) {
      const guess = typeof kind === "string" ? closest(kind, ENDPOINT_KINDS) : undefined;
      error(at("kind"), "kind".length, `kind must be "ollama" or "openai", found ${JSON.stringify(kind)}`, guess ? `did you mean "${guess}"?` : KIND_HINT);
    } else endpointKind = kind as EndpointKind;

    const url = entry["url"];
    if (url === undefined) error(at(), "[[model.endpoints]]".length, "this endpoint has no url", 'add url = "http://host:port" (for kind = "openai", the server\'s base URL, e.g. "http://gpu1:8080/v1")');
    else if (typeof url !== "string" || url.trim() === "") error(at("url"), "url".length, "url must be a non-empty string", `write it as ${OLLAMA_HOST_FORMS}`);
    else if (endpointKind !== undefined) {
      const problem = urlProblem(url, endpointKind);
      if (problem) error(at("url"), "url".length, problem.message, problem.hint);
    }

    const slots = entry["slots"];
    if (slots !== undefined && !(typeof slots === "number" && Number.isInteger(slots) && slots >= 1 && slots <= MAX_ENDPOINT_SLOTS)) {
      error(at("slots"), "slots".length, `slots must be a whole number from 1 to ${MAX_ENDPOINT_SLOTS}, found ${JSON.stringify(slots)}`, "the requests this server answers at once: 1 for Ollama with OLLAMA_NUM_PARALLEL=1, the --parallel of llama-server, a few for vLLM");
    }

    const models = entry["models"];
    if (models !== undefined && !(Array.isArray(models) && models.length > 0 && models.every((m) => typeof m === "string" && m.trim() !== ""))) {
      error(at("models"), "models".length, "models must be a non-empty list of model names", 'e.g. models = ["qwen2.5-coder:14b"]; leave it out and the server is asked what it has');
    }

    const keyEnv = entry["api_key_env"];
    if (keyEnv !== undefined) {
      if (typeof keyEnv !== "string" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(keyEnv)) {
        // Never echo the value: it may be the key itself, pasted in the wrong place.
        error(at("api_key_env"), "api_key_env".length, "api_key_env must be the NAME of an environment variable (letters, digits, _), not the key", 'write api_key_env = "VLLM_API_KEY" and export VLLM_API_KEY=… in the shell; a key never belongs in a file');
      } else if (endpointKind === "ollama") {
        error(at("api_key_env"), "api_key_env".length, 'api_key_env is for kind = "openai" servers', "an Ollama server takes no API key; for one behind a proxy with basic auth, put user:password@ in the url (it is sent as a Basic header and never printed)");
      }
    }

    if (diagnostics.length > before || endpointKind === undefined || typeof url !== "string") return;
    const normal = normalUrl(url, endpointKind);
    const earlier = seen.get(normal);
    if (earlier !== undefined) {
      error(at("url"), "url".length, `this endpoint repeats entry ${earlier + 1} (${redactHostCredentials(url)})`, "list each server once; give it more slots instead");
      return;
    }
    seen.set(normal, i);
    endpoints.push({
      url,
      kind: endpointKind,
      slots: typeof slots === "number" ? slots : 1,
      ...(Array.isArray(models) ? { models: models as string[] } : {}),
      ...(typeof keyEnv === "string" ? { apiKeyEnv: keyEnv } : {}),
      source: `${file}:${where.line}`,
    });
  });
  return diagnostics.length > 0 ? { diagnostics } : { endpoints, diagnostics };
}

function urlProblem(url: string, kind: EndpointKind): { message: string; hint: string } | undefined {
  if (kind === "ollama") {
    const checked = checkOllamaHost(url);
    return checked.ok ? undefined : { message: checked.message, hint: checked.hint };
  }
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return { message: `url ${JSON.stringify(redactHostCredentials(url))} is not a URL`, hint: 'an OpenAI-compatible server is written with its scheme, e.g. "http://gpu1:8000/v1"' };
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return { message: `url must start with http:// or https://, found ${parsed.protocol}`, hint: 'e.g. "http://gpu1:8000/v1"' };
  }
  if (parsed.username !== "" || parsed.password !== "") {
    return { message: "url holds credentials", hint: "an OpenAI-compatible server takes a bearer key: name the environment variable holding it with api_key_env" };
  }
  return undefined;
}

/** The same server written two ways ("gpu1:11434" and "http://gpu1:11434/") is one endpoint. */
function normalUrl(url: string, kind: EndpointKind): string {
  if (kind === "ollama") return parseOllamaHost(url).url.replace(/\/+$/, "");
  return new URL(url.trim()).href.replace(/\/+$/, "");
}

/** Requests the endpoints answer at once, all together: what `build.parallel` is when it is not set. */
export function totalSlots(endpoints: readonly Pick<EndpointConfig, "slots">[]): number {
  return endpoints.reduce((sum, e) => sum + e.slots, 0);
}

/**
 * A `build.parallel` set above the endpoints' slots limits nothing: no more
 * calls go out than the endpoints take. A warning, not an error: the build
 * runs the same as with the value lowered.
 */
export function parallelAboveSlots(parallel: number, slots: number, source: Exclude<ConfigSource, { kind: "default" }>, column: number): Diagnostic {
  const [file, line, col] = source.kind === "file" ? [source.file, source.line, column] : [source.kind === "env" ? `env ${source.name}` : "flag for build.parallel", 0, 0];
  return diagnostic("warning", file, line, col, `build.parallel = ${parallel} is more than the ${slots} slots of the [[model.endpoints]]: at most ${slots} model calls run at once`, {
    hint: `set build.parallel to ${slots} or less (or leave it out: the endpoints' slots decide), or give the endpoints more slots if their servers answer more requests at once`,
    ...(source.kind === "file" ? { length: "parallel".length } : {}),
    code: "config/parallel-above-slots",
  });
}

/** The endpoints a run talks to: the configured ones, or the single Ollama at model.host with build.parallel slots. */
export function effectiveEndpoints(config: SpecwrightConfig): EndpointConfig[] {
  if (config.model.endpoints.length > 0) return config.model.endpoints;
  return [{ url: config.model.host, kind: "ollama", slots: Math.max(1, config.build.parallel), source: "model.host" }];
}

/** An endpoint as it may be shown: base URL without credentials. */
export function endpointLabel(endpoint: Pick<EndpointConfig, "url" | "kind">): string {
  if (endpoint.kind === "ollama") return parseOllamaHost(endpoint.url).url;
  return redactHostCredentials(endpoint.url.trim()).replace(/\/+$/, "");
}

/** Whether an endpoint serves a model: its `models` list says, or, without one, it may (the server is asked). */
export function endpointListsModel(endpoint: Pick<EndpointConfig, "models">, model: string): boolean {
  if (endpoint.models === undefined) return true;
  const wanted = withLatest(model);
  return endpoint.models.some((m) => withLatest(m) === wanted);
}

function withLatest(name: string): string {
  return name.slice(name.lastIndexOf("/") + 1).includes(":") ? name : `${name}:latest`;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
