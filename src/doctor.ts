// `specwright doctor`, the core: what the model server is and supports (an
// Ollama's version-gated features, or what an OpenAI-compatible server says of
// itself), what the role's model is there, the context a run would plan with
// and really gets, and a one-call probe (sent twice) that measures prompt-eval
// and generation speed and whether the prefix cache works. Every problem comes
// with its fix.
// Nothing here prints: the CLI renders the report, the Models screen shows
// `serverLine`.

import { buildOutputBudget } from "./build/prepare-task.js";
import type { CallMetrics } from "../models/call-record.js";
import { MIN_NUM_CTX } from "../models/context-budget.js";
import { modelFault, type ModelError, type ModelFault, type ModelResult } from "../models/errors.js";
import type { ModelEvent } from "../models/events.js";
import { parseOllamaHost } from "../models/host.js";
import { openModelRun, type ModelRun } from "../models/model-run.js";
import { canonicalModelName, findInstalled, listInstalledModels, serverVersion } from "../models/model-facts.js";
import { endpointLabel } from "./config/endpoints.js";
import { endpointStates, type EndpointState } from "./endpoint-states.js";
import { serverFeatures, type ServerFeatures } from "../models/server-features.js";
import { openAiEndpoint } from "../models/openai-run.js";
import { openAiServerFacts, type OpenAiServerFacts } from "../models/openai-server.js";
import type { OpenAiFlavour } from "../models/openai-wire.js";
import { roleModel, type EndpointConfig, type Role, type SpecwrightConfig } from "./config/types.js";
import { runSettings } from "./model-session.js";

export interface DoctorProblem {
  severity: "error" | "warning";
  problem: string;
  fix: string;
}

export interface DoctorProbe {
  /** The probe's prompt, as the server counted it. */
  promptTokens: number | undefined;
  promptEvalMs: number | undefined;
  promptTokensPerSecond: number | undefined;
  evalCount: number | undefined;
  tokensPerSecond: number | undefined;
  /** The second, identical prompt: what the server evaluated anew, and how long it took. */
  secondPromptEvalCount: number | undefined;
  secondPromptEvalMs: number | undefined;
  /** prompt_eval_cached_count of the second call, where the server reports it (v0.33.0+). */
  secondCachedTokens: number | undefined;
  /** "works": the second prompt was (nearly) all served from the cache. */
  prefixCache: "works" | "not-working" | "unknown";
  /** How the verdict was reached. */
  prefixCacheEvidence: string;
}

/** An Ollama server: its version and what that version supports. */
export type OllamaServerReport = { kind: "ollama"; reachable: boolean; version: string | null } & Omit<ServerFeatures, "version" | "semver">;

/**
 * An OpenAI-compatible server (llama-server, vLLM, LM Studio, a gateway):
 * what it says about itself. It has none of Ollama's version-gated features
 * to report: its context and slots are fixed when it is started.
 */
export interface OpenAiServerReport {
  kind: "openai";
  reachable: boolean;
  /** Which server it is, from what it answers (null when it could not be reached). */
  flavour: OpenAiFlavour | null;
  /** llama-server's build_info, vLLM's /version; null when it says none. */
  version: string | null;
  /** The context one request of the role's model gets, and the field it came from; null when the server does not say. */
  servedContext: { tokens: number; from: string } | null;
  /** Requests it runs at once (llama-server's total_slots), and the slots the endpoint entry gives it. */
  totalSlots: number | null;
  slots: number;
  /** The models it serves, as it lists them. */
  models: string[];
  /** The API key variable the entry names, and whether it is set (never its value); null when it names none. */
  apiKeyEnv: { name: string; set: boolean } | null;
}

interface ModelReportBase {
  name: string;
  role: Role;
  /** Pulled on the Ollama server, or listed by the OpenAI-compatible one. */
  installed: boolean;
  /** The most context a run can have: Ollama's model maximum, or the context the server was started with (else model.num_ctx). */
  maxContext: number | null;
  tokenizerFamily: string | null;
  estimateMargin: number | null;
}

/** A model on Ollama: /api/tags and /api/show describe it; a null is a field this model's entry did not fill. */
export interface OllamaModelReport extends ModelReportBase {
  kind: "ollama";
  digest: string | null;
  family: string | null;
  parameterSize: string | null;
  quantization: string | null;
  capabilities: string[];
  remote: boolean;
}

/**
 * A model on an OpenAI-compatible server. None of these servers reports a
 * digest, size, quantization or capabilities, so those fields are absent;
 * the optional ones are present only when this server said them.
 */
export interface OpenAiModelReport extends ModelReportBase {
  kind: "openai";
  /** llama-server's /props model_path: the file it serves. */
  file?: string;
  /** vLLM's /v1/models root: the model the served name stands for. */
  root?: string;
  /** llama-server's /v1/models meta.n_ctx_train: the context the model was trained for. */
  trainedContext?: number;
  /** "server": a prompt's tokens are counted by the server (llama-server and vLLM /tokenize) before it is sent; "estimate": estimated with the family's margin. */
  promptCounting: "server" | "estimate";
}

export interface DoctorReport {
  /** With `[[model.endpoints]]`: every endpoint's state; the checks below are of the first that serves the role's model. */
  endpoints?: EndpointState[];
  host: string;
  /** What the checked server is: Ollama's rows or an OpenAI-compatible server's, never both. */
  server: OllamaServerReport | OpenAiServerReport;
  /** The role's model, as the checked server can describe it: Ollama's fields or an OpenAI-compatible server's, never both. */
  model: null | OllamaModelReport | OpenAiModelReport;
  run: null | {
    /** As configured ("auto" or a number). */
    configuredNumCtx: "auto" | number;
    /** What this probe's run asked for, and what /api/ps says it got. */
    numCtx: number;
    loadedContext: number | null;
    outputBudget: number;
    think: boolean;
    loadMs: number | null;
  };
  probe: DoctorProbe | null;
  problems: DoctorProblem[];
  /** The worst fault met, for the exit code; undefined when the server and model are usable. */
  fault?: ModelFault;
  wallMs: number;
}

export interface DoctorInput {
  config: SpecwrightConfig;
  role: Role;
  /** Run the two probe calls (they load the model). */
  probe: boolean;
  /** For the endpoints' API key variables: whether each is set. */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/** ~300 tokens of stable text: long enough for the prefix cache to show in the second call's prompt eval. */
const PROBE_PROMPT = `You are checking that a local model answers. Reply with the single word: ready.\n\n${"specwright doctor measures prompt evaluation, generation speed and the prefix cache. ".repeat(16)}`;
const PROBE_OUTPUT_BUDGET = 16;

export async function runDoctor(input: DoctorInput): Promise<DoctorReport> {
  const started = performance.now();
  const problems: DoctorProblem[] = [];
  let states: EndpointState[] | undefined;
  let checked: EndpointConfig | undefined;
  if (input.config.model.endpoints.length > 0) {
    states = await endpointStates(input.config, input.env ?? process.env, input.signal);
    const model = roleModel(input.config, input.role).model;
    const serving = (s: EndpointState) => s.models.some((m) => canonicalModelName(m) === canonicalModelName(model));
    const at = Math.max(0, states.findIndex(serving));
    checked = input.config.model.endpoints[at];
    for (const s of states) {
      if (s.problem) problems.push({ severity: "warning", problem: `endpoint ${s.endpoint}: ${s.problem.message}`, fix: s.problem.hint });
      for (const m of s.missing) problems.push({ severity: "warning", problem: `endpoint ${s.endpoint} lists ${m}, which the server does not have`, fix: s.kind === "ollama" ? `run \`ollama pull ${m}\` there, or take it off the endpoint's models` : "load it on the server, or take it off the endpoint's models" });
      if (s.serverSlots !== undefined && s.slots > s.serverSlots) problems.push({ severity: "warning", problem: `endpoint ${s.endpoint} is given ${s.slots} slots but the server runs ${s.serverSlots} requests at once`, fix: `set slots = ${s.serverSlots} for it, or start the server with --parallel ${s.slots}: extra requests queue inside the server, where fix attempts cannot go first` });
      if (s.apiKeyEnv && !s.apiKeyEnv.set) problems.push({ severity: "warning", problem: `endpoint ${s.endpoint}: api_key_env names ${s.apiKeyEnv.name}, which is not set`, fix: `export ${s.apiKeyEnv.name}=… before running specwright` });
    }
  }
  const env = input.env ?? process.env;
  const { model } = roleModel(input.config, input.role);
  // An OpenAI-compatible server has no Ollama version or features: it is asked what it is and serves.
  if (checked?.kind === "openai") {
    const served = await openAiServer(checked, env, input.signal);
    const report = blankReport(states, endpointLabel(checked), served.ok ? openAiServerReport(served.value, checked, model, env) : unreachableOpenAi(checked, env), problems);
    if (!served.ok) return stopWith(report, served.error, started);
    report.model = openAiModelReport(served.value, model, input.role);
    return modelAndProbe(input, report, checked, serverFeatures(undefined), started);
  }

  const endpoint = parseOllamaHost(checked?.url ?? input.config.model.host);
  const version = await serverVersion(endpoint, input.signal);
  const f = serverFeatures(version.ok ? version.value : undefined);
  const { version: _v, semver: _s, ...supports } = f;
  const report = blankReport(states, checked ? endpointLabel(checked) : endpoint.url, { kind: "ollama", reachable: version.ok, version: version.ok ? version.value : null, ...supports }, problems);
  if (!version.ok && (version.error.kind === "unreachable" || version.error.kind === "timed-out" || version.error.kind === "not-ollama")) return stopWith(report, version.error, started);
  report.server.reachable = true;
  problems.push(...serverProblems(f));

  const listed = await listInstalledModels(endpoint, input.signal);
  if (!listed.ok) return stopWith(report, listed.error, started);
  const installed = findInstalled(listed.value, model);
  report.model = {
    ...blankOllamaModel(model, input.role), installed: installed !== undefined, digest: installed?.digest || null, family: installed?.family ?? null,
    parameterSize: installed?.parameterSize ?? null, quantization: installed?.quantization ?? null,
  };
  return modelAndProbe(input, report, checked, f, started);
}

function blankReport(states: EndpointState[] | undefined, host: string, server: DoctorReport["server"], problems: DoctorProblem[]): DoctorReport {
  return { ...(states ? { endpoints: states } : {}), host, server, model: null, run: null, probe: null, problems, wallMs: 0 };
}

function blankOllamaModel(name: string, role: Role): OllamaModelReport {
  return { kind: "ollama", name, role, installed: false, digest: null, family: null, parameterSize: null, quantization: null, maxContext: null, capabilities: [], tokenizerFamily: null, estimateMargin: null, remote: false };
}

/** What the server's discovery routes say of the role's model: the file llama-server serves, the model vLLM's name stands for. */
function openAiModelReport(f: OpenAiServerFacts, model: string, role: Role): OpenAiModelReport {
  const served = f.models.find((m) => canonicalModelName(m.id) === canonicalModelName(model));
  // llama-server serves the one model it was started with whatever a request names (as openOpenAiRun takes it).
  const described = served ?? (f.flavour === "llama-server" && f.models.length === 1 ? f.models[0] : undefined);
  return {
    kind: "openai", name: model, role, installed: described !== undefined, maxContext: null, tokenizerFamily: null, estimateMargin: null,
    ...(f.flavour === "llama-server" && f.modelPath !== undefined ? { file: f.modelPath } : {}),
    ...(described?.root !== undefined ? { root: described.root } : {}),
    ...(f.flavour === "llama-server" && described?.trainedContext !== undefined ? { trainedContext: described.trainedContext } : {}),
    promptCounting: f.tokenizer !== undefined ? "server" : "estimate",
  };
}

/** The report so far, with the error that ends it as its last problem. */
function stopWith(report: DoctorReport, error: ModelError, started: number): DoctorReport {
  report.problems.push({ severity: "error", problem: error.message, fix: error.hint });
  report.fault = modelFault(error);
  return { ...report, wallMs: performance.now() - started };
}

/** The OpenAI-compatible endpoint's own account of itself, asked with its key. */
async function openAiServer(endpoint: EndpointConfig, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<ModelResult<OpenAiServerFacts>> {
  const key = endpoint.apiKeyEnv !== undefined ? env[endpoint.apiKeyEnv] : undefined;
  return openAiServerFacts(openAiEndpoint(endpoint.url, key), signal);
}

function keyVariable(endpoint: EndpointConfig, env: NodeJS.ProcessEnv): OpenAiServerReport["apiKeyEnv"] {
  return endpoint.apiKeyEnv !== undefined ? { name: endpoint.apiKeyEnv, set: (env[endpoint.apiKeyEnv] ?? "") !== "" } : null;
}

function openAiServerReport(f: OpenAiServerFacts, endpoint: EndpointConfig, model: string, env: NodeJS.ProcessEnv): OpenAiServerReport {
  const served = f.models.find((m) => canonicalModelName(m.id) === canonicalModelName(model));
  // llama-server's context is per slot, for whatever it serves; vLLM and LM Studio say it per model.
  const context =
    f.servedContext !== undefined
      ? { tokens: f.servedContext, from: "/props n_ctx" }
      : served?.contextLength !== undefined
        ? { tokens: served.contextLength, from: f.flavour === "lmstudio" ? "/api/v0/models loaded_context_length" : "/v1/models max_model_len" }
        : null;
  return {
    kind: "openai", reachable: true, flavour: f.flavour, version: f.version ?? null, servedContext: context,
    totalSlots: f.totalSlots ?? null, slots: endpoint.slots, models: f.models.map((m) => m.id), apiKeyEnv: keyVariable(endpoint, env),
  };
}

function unreachableOpenAi(endpoint: EndpointConfig, env: NodeJS.ProcessEnv): OpenAiServerReport {
  return { kind: "openai", reachable: false, flavour: null, version: null, servedContext: null, totalSlots: null, slots: endpoint.slots, models: [], apiKeyEnv: keyVariable(endpoint, env) };
}

/** The role's model opened on the checked server, the context a run gets there, and (unless --no-probe) the two probe calls. */
async function modelAndProbe(input: DoctorInput, report: DoctorReport, checked: EndpointConfig | undefined, features: ServerFeatures, started: number): Promise<DoctorReport> {
  const problems = report.problems;
  const done = () => ({ ...report, wallMs: performance.now() - started });
  const stop = (error: ModelError) => stopWith(report, error, started);
  const { model, think } = roleModel(input.config, input.role);
  const events: ModelEvent[] = [];
  const m = input.config.model;
  // "auto" sizes the window per run from its largest prompt; the probe needs the smallest one.
  const opened = await openModelRun(runSettings(input.config, input.role, { largestPromptTokens: 0, outputBudget: buildOutputBudget(input.config) }, (e) => events.push(e), input.signal, checked));
  if (!opened.ok) return stop(opened.error);
  const run = opened.value;
  const f = run.facts;
  const measured = { maxContext: f.maxContext ?? null, tokenizerFamily: run.tokenizerFamily ?? null, estimateMargin: run.estimateMargin };
  const known = report.model ?? blankOllamaModel(model, input.role);
  report.model =
    known.kind === "openai"
      ? { ...known, ...measured }
      : { ...known, ...measured, digest: f.digest || null, family: f.family ?? null, parameterSize: f.parameterSize ?? null, quantization: f.quantization ?? null, capabilities: f.capabilities, remote: f.remote };
  problems.push(...modelProblems(run, input.config));
  report.run = { configuredNumCtx: m.numCtx, numCtx: run.numCtx, loadedContext: null, outputBudget: buildOutputBudget(input.config), think, loadMs: null };
  if (!input.probe) return done();

  const loaded = await run.preload(input.signal);
  if (!loaded.ok) return stop(loaded.error);
  report.run.loadMs = loaded.value.loadMs ?? null;
  report.run.loadedContext = run.loadedContext ?? null;
  report.run.numCtx = run.numCtx;
  for (const e of events) if (e.type === "context-capped") problems.push({ severity: "warning", problem: e.message, fix: e.hint });

  const ask = () => run.call({ caller: "doctor", messages: [{ role: "user", content: PROBE_PROMPT }], outputBudget: PROBE_OUTPUT_BUDGET, think: false, ...(input.signal ? { signal: input.signal } : {}) });
  const first = await ask();
  if (!first.ok && first.error.kind !== "output-truncated") return stop(first.error);
  const second = await ask();
  if (!second.ok && second.error.kind !== "output-truncated") return stop(second.error);
  const a = first.ok ? first.value.metrics : undefined;
  const b = second.ok ? second.value.metrics : undefined;
  report.probe = probeOf(a, b, features);
  if (report.probe.prefixCache === "not-working") {
    problems.push({
      severity: "warning",
      problem: `the prefix cache did not serve a repeated prompt (${report.probe.prefixCacheEvidence}): every fix attempt will re-read its whole prompt`,
      fix:
        report.server.kind === "openai"
          ? "make sure no other client shares the server's slots (each evicts a slot's cache); for llama-server give the endpoint slots = --parallel, for vLLM keep --enable-prefix-caching on"
          : "make sure no other client shares this model (each evicts the cache), keep OLLAMA_NUM_PARALLEL at 1 for one user, and keep model.keep_alive long enough that the model stays loaded",
    });
  }
  return done();
}

function serverProblems(f: ServerFeatures): DoctorProblem[] {
  const out: DoctorProblem[] = [];
  if (!f.semver) {
    out.push({ severity: "warning", problem: `the server's version (${f.version ?? "none"}) is not one specwright can place, so it cannot count on the server refusing over-long prompts`, fix: "use a released Ollama (0.12.6 or later); specwright still checks every reply for truncation" });
  } else if (!f.refusesOverflow) {
    out.push({ severity: "warning", problem: `Ollama ${f.version} cannot refuse an over-long prompt (truncate:false needs 0.12.6): a prompt the estimate lets through is cut silently, detected only after the call`, fix: "upgrade Ollama (`ollama --version`; the install script or package manager updates it)" });
  }
  if (f.promptEvalCount === "uncached") {
    out.push({ severity: "warning", problem: `Ollama ${f.version} counts only uncached tokens in prompt_eval_count (fixed in 0.30.1, PR #16428): prompt sizes in traces are too low`, fix: "upgrade Ollama to 0.30.1 or later" });
  }
  return out;
}

function modelProblems(run: ModelRun, config: SpecwrightConfig): DoctorProblem[] {
  const out: DoctorProblem[] = [];
  if (run.tokenizerFamily === undefined) {
    out.push({ severity: "warning", problem: `${run.model}'s tokenizer (${run.facts.tokenizer.pre ?? run.facts.tokenizer.model ?? "not reported"}) is not one specwright has measured: estimates get the widest margin (×${run.estimateMargin})`, fix: "nothing to do; prompts are sized conservatively, and the server refuses what does not fit" });
  }
  if (run.numCtxChoice.capped) {
    out.push({ severity: "warning", problem: `model.num_ctx ${String(config.model.numCtx)} is more than ${run.model} holds (${run.modelMaxContext}); runs use ${run.modelMaxContext}`, fix: `set model.num_ctx to at most ${run.modelMaxContext}, or "auto"` });
  }
  if (run.numCtx < MIN_NUM_CTX) {
    out.push({ severity: "warning", problem: `${run.model} runs with only ${run.numCtx} tokens of context`, fix: "use a model with a longer context for building" });
  }
  return out;
}

function probeOf(a: CallMetrics | undefined, b: CallMetrics | undefined, f: ServerFeatures): DoctorProbe {
  const rate = (tokens: number | undefined, ms: number | undefined) => (tokens !== undefined && ms !== undefined && ms > 0 ? tokens / (ms / 1000) : undefined);
  const promptTokens = a?.promptTokens ?? a?.promptEvalCount;
  let prefixCache: DoctorProbe["prefixCache"] = "unknown";
  let evidence = "the server reported no counts";
  if (b?.cachedPromptTokens !== undefined && promptTokens) {
    prefixCache = b.cachedPromptTokens >= 0.8 * promptTokens ? "works" : "not-working";
    evidence = `the second call read ${b.cachedPromptTokens} of ${promptTokens} prompt tokens from the cache (prompt_eval_cached_count)`;
  } else if (f.promptEvalCount === "uncached" && b?.promptEvalCount !== undefined && promptTokens) {
    prefixCache = b.promptEvalCount <= 0.2 * promptTokens ? "works" : "not-working";
    evidence = `the second call evaluated ${b.promptEvalCount} of ${promptTokens} prompt tokens anew`;
  } else if (a?.promptEvalMs !== undefined && b?.promptEvalMs !== undefined) {
    // Servers that count the whole prompt either way: only the time shows the cache.
    prefixCache = b.promptEvalMs <= 0.5 * a.promptEvalMs ? "works" : "not-working";
    evidence = `prompt evaluation took ${a.promptEvalMs.toFixed(1)} ms, then ${b.promptEvalMs.toFixed(1)} ms for the same prompt`;
  }
  return {
    promptTokens,
    promptEvalMs: a?.promptEvalMs,
    promptTokensPerSecond: rate(a?.promptEvalCount, a?.promptEvalMs),
    evalCount: a?.evalCount,
    tokensPerSecond: a?.tokensPerSecond,
    secondPromptEvalCount: b?.promptEvalCount,
    secondPromptEvalMs: b?.promptEvalMs,
    secondCachedTokens: b?.cachedPromptTokens,
    prefixCache,
    prefixCacheEvidence: evidence,
  };
}

/** One line on what the server is and can do, for the Models screen. */
export function serverLine(version: string): string {
  const f = serverFeatures(version);
  if (!f.semver) return `Ollama ${version} · version unknown: over-long prompts are checked after the call · \`specwright doctor\` measures it`;
  const refuse = f.refusesOverflow ? "refuses over-long prompts" : "cannot refuse over-long prompts (needs 0.12.6)";
  return `Ollama ${version} · ${refuse} · \`specwright doctor\` measures speed and the prefix cache`;
}
