// What the server knows about its models: /api/tags (names, digests, sizes),
// /api/show (capabilities, the maximum context length, the tokenizer),
// /api/ps (the context a loaded model really has) and /api/version. Replies
// are untrusted JSON and are read field by field.

import { Ollama } from "ollama";
import { boundFetch } from "./chat-stream.js";
import { aborted, fail, metadataTimedOut, modelMissing, ok, type ModelResult } from "./errors.js";
import { mapOllamaError } from "./error-mapping.js";
import { endpointHeaders, endpointUrl, type OllamaEndpoint } from "./host.js";

/** Metadata requests answer in milliseconds; a server that takes this long is stuck. */
export const METADATA_TIMEOUT_MS = 15_000;

export interface InstalledModel {
  name: string;
  digest: string;
  sizeBytes: number;
  modifiedAt: string | undefined;
  family: string | undefined;
  parameterSize: string | undefined;
  quantization: string | undefined;
}

export interface ModelFacts extends InstalledModel {
  architecture: string | undefined;
  /** `<architecture>.context_length` from model_info: the most num_ctx can usefully be. */
  maxContext: number | undefined;
  capabilities: string[];
  /**
   * model_info `tokenizer.ggml.model` and `tokenizer.ggml.pre` (strings, sent
   * without `verbose`): which vocabulary counts the prompt, for the estimate's margin.
   */
  tokenizer: { model: string | undefined; pre: string | undefined };
  /** A cloud model (/api/show remote_host): served elsewhere, its model_info empty. */
  remote: boolean;
}

/** Ollama resolves a name without a tag to ":latest"; compare names that way. */
export function canonicalModelName(name: string): string {
  const lastSegment = name.slice(name.lastIndexOf("/") + 1);
  return lastSegment.includes(":") ? name : `${name}:latest`;
}

export async function listInstalledModels(host: OllamaEndpoint, signal?: AbortSignal): Promise<ModelResult<InstalledModel[]>> {
  const reply = await metadata(host, "/api/tags", undefined, signal, (client) => client.list());
  if (!reply.ok) return reply;
  const models = arrayField(reply.value, "models").map(readInstalled).filter((m): m is InstalledModel => m !== undefined);
  return ok(models);
}

/** Facts for one model by name: fails with model-missing when it is not installed. */
export async function modelFacts(host: OllamaEndpoint, name: string, signal?: AbortSignal): Promise<ModelResult<ModelFacts>> {
  const listed = await listInstalledModels(host, signal);
  if (!listed.ok) return listed;
  const installed = findInstalled(listed.value, name);
  if (!installed) return fail(modelMissing(name));
  return describeModel(host, installed, signal);
}

export function findInstalled<T extends InstalledModel>(models: readonly T[], name: string): T | undefined {
  const wanted = canonicalModelName(name);
  return models.find((m) => canonicalModelName(m.name) === wanted);
}

/** What is known of a model when /api/show failed: only what /api/tags said. */
export function factsFromTags(installed: InstalledModel): ModelFacts {
  return { ...installed, architecture: undefined, maxContext: undefined, capabilities: [], tokenizer: { model: undefined, pre: undefined }, remote: false };
}

/** Adds what /api/show knows (capabilities, maximum context) to a model from /api/tags. */
export async function describeModel(host: OllamaEndpoint, installed: InstalledModel, signal?: AbortSignal): Promise<ModelResult<ModelFacts>> {
  const shown = await metadata(host, "/api/show", installed.name, signal, (client) => client.show({ model: installed.name }));
  if (!shown.ok) return shown;
  const show = shown.value;
  const info = objectField(show, "model_info");
  const architecture = stringField(info, "general.architecture");
  const maxContext = architecture ? numberField(info, `${architecture}.context_length`) : undefined;
  const details = objectField(show, "details");
  return ok({
    ...installed,
    family: installed.family ?? stringField(details, "family"),
    parameterSize: installed.parameterSize ?? stringField(details, "parameter_size"),
    quantization: installed.quantization ?? stringField(details, "quantization_level"),
    architecture,
    maxContext,
    tokenizer: { model: stringField(info, "tokenizer.ggml.model"), pre: stringField(info, "tokenizer.ggml.pre") },
    remote: stringField(show, "remote_host") !== undefined,
    // Servers before capabilities existed (< 0.6.4) could all complete text.
    capabilities:
      show["capabilities"] === undefined
        ? ["completion"]
        : arrayField(show, "capabilities").filter((c): c is string => typeof c === "string"),
  });
}

export async function serverVersion(host: OllamaEndpoint, signal?: AbortSignal): Promise<ModelResult<string>> {
  const reply = await metadata(host, "/api/version", undefined, signal, (client) => client.version());
  if (!reply.ok) return reply;
  return ok(stringField(reply.value, "version") ?? "unknown");
}

/** A model as /api/ps lists it: loaded, with the context it really has (from v0.15.5; the requested one before). */
export interface LoadedModel {
  name: string;
  contextLength: number | undefined;
  expiresAt: string | undefined;
  sizeVramBytes: number | undefined;
}

export async function loadedModels(host: OllamaEndpoint, signal?: AbortSignal): Promise<ModelResult<LoadedModel[]>> {
  const reply = await metadata(host, "/api/ps", undefined, signal, (client) => client.ps());
  if (!reply.ok) return reply;
  const models = arrayField(reply.value, "models").flatMap((m): LoadedModel[] => {
    const name = stringField(m, "name") ?? stringField(m, "model");
    if (name === undefined) return [];
    const context = numberField(m, "context_length");
    return [{ name, contextLength: context !== undefined && context > 0 ? context : undefined, expiresAt: stringField(m, "expires_at"), sizeVramBytes: numberField(m, "size_vram") }];
  });
  return ok(models);
}

async function metadata(
  host: OllamaEndpoint,
  endpoint: string,
  model: string | undefined,
  signal: AbortSignal | undefined,
  request: (client: Ollama) => Promise<object>,
): Promise<ModelResult<Record<string, unknown>>> {
  const timeout = AbortSignal.timeout(METADATA_TIMEOUT_MS);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const url = endpointUrl(host);
  try {
    const value: unknown = await request(new Ollama({ host: url, fetch: boundFetch(combined, endpointHeaders(host)) }));
    if (typeof value !== "object" || value === null) {
      return mapped(new Error(`expected a JSON object, got ${JSON.stringify(value)}`));
    }
    return ok(value as Record<string, unknown>);
  } catch (error) {
    if (signal?.aborted) return fail(aborted());
    if (timeout.aborted) return fail(metadataTimedOut(url, endpoint, METADATA_TIMEOUT_MS));
    return mapped(error);
  }
  function mapped(error: unknown): ModelResult<Record<string, unknown>> {
    return fail(mapOllamaError(error, { host: url, model, phase: "request", endpoint }));
  }
}

function readInstalled(value: unknown): InstalledModel | undefined {
  const name = stringField(value, "name") ?? stringField(value, "model");
  if (name === undefined) return undefined;
  const details = objectField(value, "details");
  return {
    name,
    digest: stringField(value, "digest") ?? "",
    sizeBytes: numberField(value, "size") ?? 0,
    modifiedAt: stringField(value, "modified_at"),
    family: stringField(details, "family"),
    parameterSize: stringField(details, "parameter_size"),
    quantization: stringField(details, "quantization_level"),
  };
}

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
function stringField(value: unknown, key: string): string | undefined {
  const v = field(value, key);
  return typeof v === "string" && v !== "" ? v : undefined;
}
function numberField(value: unknown, key: string): number | undefined {
  const v = field(value, key);
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}
function objectField(value: unknown, key: string): Record<string, unknown> | undefined {
  const v = field(value, key);
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
function arrayField(value: unknown, key: string): unknown[] {
  const v = field(value, key);
  return Array.isArray(v) ? v : [];
}
