// What the server knows about its models: /api/tags (names, digests, sizes),
// /api/show (capabilities and the maximum context length) and
// /api/version. Replies are untrusted JSON and are read field by field.

import { Ollama } from "ollama";
import { boundFetch } from "./chat-stream.js";
import { aborted, fail, modelMissing, ok, timedOut, type ModelResult } from "./errors.js";
import { mapOllamaError } from "./error-mapping.js";

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
}

/** Ollama resolves a name without a tag to ":latest"; compare names that way. */
export function canonicalModelName(name: string): string {
  const lastSegment = name.slice(name.lastIndexOf("/") + 1);
  return lastSegment.includes(":") ? name : `${name}:latest`;
}

export async function listInstalledModels(host: string, signal?: AbortSignal): Promise<ModelResult<InstalledModel[]>> {
  const reply = await metadata(host, "/api/tags", undefined, signal, (client) => client.list());
  if (!reply.ok) return reply;
  const models = arrayField(reply.value, "models").map(readInstalled).filter((m): m is InstalledModel => m !== undefined);
  return ok(models);
}

/** Facts for one model by name: fails with model-missing when it is not installed. */
export async function modelFacts(host: string, name: string, signal?: AbortSignal): Promise<ModelResult<ModelFacts>> {
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

/** Adds what /api/show knows (capabilities, maximum context) to a model from /api/tags. */
export async function describeModel(host: string, installed: InstalledModel, signal?: AbortSignal): Promise<ModelResult<ModelFacts>> {
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
    // Servers before capabilities existed (< 0.6.4) could all complete text.
    capabilities:
      show["capabilities"] === undefined
        ? ["completion"]
        : arrayField(show, "capabilities").filter((c): c is string => typeof c === "string"),
  });
}

export async function serverVersion(host: string, signal?: AbortSignal): Promise<ModelResult<string>> {
  const reply = await metadata(host, "/api/version", undefined, signal, (client) => client.version());
  if (!reply.ok) return reply;
  return ok(stringField(reply.value, "version") ?? "unknown");
}

async function metadata(
  host: string,
  endpoint: string,
  model: string | undefined,
  signal: AbortSignal | undefined,
  request: (client: Ollama) => Promise<object>,
): Promise<ModelResult<Record<string, unknown>>> {
  const timeout = AbortSignal.timeout(METADATA_TIMEOUT_MS);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    const value: unknown = await request(new Ollama({ host, fetch: boundFetch(combined) }));
    if (typeof value !== "object" || value === null) {
      return mapped(new Error(`expected a JSON object, got ${JSON.stringify(value)}`));
    }
    return ok(value as Record<string, unknown>);
  } catch (error) {
    if (signal?.aborted) return fail(aborted());
    if (timeout.aborted) return fail(timedOut(METADATA_TIMEOUT_MS, "before-first-chunk"));
    return mapped(error);
  }
  function mapped(error: unknown): ModelResult<Record<string, unknown>> {
    return fail(mapOllamaError(error, { host, model, phase: "request", endpoint }));
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
