// Opens model runs for the roles of a command (audit, fixer, planner, build…)
// from the effective config. Roles that resolve to the same model share one
// run per endpoint, so a server keeps one model loaded with one num_ctx. A
// build opens its roles on every endpoint that serves them (`endpointRuns`);
// other commands use the first endpoint that can (`run`).

import type { ModelEventListener } from "../models/events.js";
import { openModelRun, type ModelRun, type ModelRunSettings } from "../models/model-run.js";
import { fail, type ModelError, type ModelResult } from "../models/errors.js";
import { ROLES, roleModel, type EndpointConfig, type Role, type SpecwrightConfig } from "./config/types.js";
import { effectiveEndpoints, endpointLabel, endpointListsModel } from "./config/endpoints.js";

export interface RoleNeed {
  role: Role;
  /** Estimated tokens of the largest prompt this role will send in the run. */
  largestPromptTokens: number;
  /** Output budget per call (num_predict). */
  outputBudget: number;
}

/** A role's model run settings from the effective config: the one mapping from config to adapter. */
export function runSettings(
  config: SpecwrightConfig,
  role: Role,
  need: { largestPromptTokens: number; outputBudget: number },
  onEvent: ModelEventListener,
  signal?: AbortSignal,
  endpoint?: EndpointConfig,
  env: NodeJS.ProcessEnv = process.env,
): ModelRunSettings {
  const { model, think } = roleModel(config, role);
  const m = config.model;
  // The key is read here, at the last moment, from the variable the config names; it never enters the config.
  const apiKey = endpoint?.apiKeyEnv !== undefined ? env[endpoint.apiKeyEnv] : undefined;
  return {
    ...(endpoint ? { kind: endpoint.kind } : {}),
    host: endpoint?.url ?? m.host,
    ...(apiKey !== undefined && apiKey !== "" ? { apiKey } : {}),
    model,
    think,
    temperature: m.temperature,
    ...(m.seed !== undefined ? { seed: m.seed } : {}),
    keepAlive: m.keepAlive,
    numCtx: m.numCtx,
    largestPromptTokens: need.largestPromptTokens,
    outputBudget: need.outputBudget,
    stallTimeoutMs: m.requestTimeoutMs,
    onEvent,
    ...(signal ? { signal } : {}),
  };
}

/** One endpoint's runs for a set of roles, or why the endpoint cannot serve them. */
export type EndpointRuns =
  | { ok: true; index: number; endpoint: EndpointConfig; label: string; runs: Map<Role, ModelRun> }
  | { ok: false; index: number; endpoint: EndpointConfig; label: string; role: Role; error: ModelError };

export class ModelSession {
  /** (endpoint index, model, think) → the run opened there. */
  private readonly runs = new Map<string, Promise<ModelResult<ModelRun>>>();
  private readonly needs = new Map<string, { largestPromptTokens: number; outputBudget: number }>();
  readonly endpoints: EndpointConfig[];

  constructor(
    private readonly config: SpecwrightConfig,
    private readonly onEvent: ModelEventListener,
    private readonly signal?: AbortSignal,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.endpoints = effectiveEndpoints(config);
  }

  /** Declare every role's needs before the first `run`: num_ctx is chosen once, from the largest. */
  plan(needs: readonly RoleNeed[]): void {
    for (const need of needs) {
      const key = this.keyOf(need.role);
      const prev = this.needs.get(key) ?? { largestPromptTokens: 0, outputBudget: 0 };
      this.needs.set(key, {
        largestPromptTokens: Math.max(prev.largestPromptTokens, need.largestPromptTokens),
        outputBudget: Math.max(prev.outputBudget, need.outputBudget),
      });
    }
  }

  /**
   * The run for a role, opened (and preloaded) on first use, on the first
   * endpoint that serves its model; an endpoint that cannot be reached gives
   * way to the next. With one endpoint, its error as it is.
   */
  async run(role: Role): Promise<ModelResult<ModelRun>> {
    const model = roleModel(this.config, role).model;
    const candidates = this.endpoints.map((e, i) => ({ e, i })).filter(({ e }) => endpointListsModel(e, model));
    if (candidates.length === 0) return fail(noEndpointListsModel(model, this.endpoints));
    const errors: { label: string; error: ModelError }[] = [];
    for (const { e, i } of candidates) {
      const opened = await this.runOn(i, role);
      if (opened.ok) return opened;
      if (opened.error.kind === "aborted" || candidates.length === 1) return opened;
      errors.push({ label: endpointLabel(e), error: opened.error });
    }
    return fail(noEndpointCanServe(model, errors));
  }

  /**
   * The runs of `roles` on every endpoint that lists their models, opened
   * (and preloaded) side by side: a build spreads over those that open.
   */
  async endpointRuns(roles: readonly Role[]): Promise<EndpointRuns[]> {
    const serving = this.endpoints
      .map((endpoint, index) => ({ endpoint, index }))
      .filter(({ endpoint }) => roles.every((role) => endpointListsModel(endpoint, roleModel(this.config, role).model)));
    return Promise.all(
      serving.map(async ({ endpoint, index }): Promise<EndpointRuns> => {
        const label = endpointLabel(endpoint);
        const runs = new Map<Role, ModelRun>();
        for (const role of roles) {
          const opened = await this.runOn(index, role);
          if (!opened.ok) return { ok: false, index, endpoint, label, role, error: opened.error };
          runs.set(role, opened.value);
        }
        return { ok: true, index, endpoint, label, runs };
      }),
    );
  }

  private runOn(index: number, role: Role): Promise<ModelResult<ModelRun>> {
    const key = `${index}\u0000${this.keyOf(role)}`;
    let run = this.runs.get(key);
    if (!run) {
      run = this.open(role, this.endpoints[index]!);
      this.runs.set(key, run);
    }
    return run;
  }

  /**
   * The models this session opened, with what decides their output: for
   * run.json, so a trace says which model and options produced it.
   */
  async describe(): Promise<
    {
      /** The endpoint the run was opened on (no credentials). */
      endpoint: string;
      model: string;
      digest?: string;
      /** As /api/tags reports it (Q4_K_M…), so a report can tell two quantizations of one model apart. */
      quantization?: string;
      parameterSize?: string;
      numCtx: number;
      temperature: number;
      seed?: number;
      keepAlive: string;
      think: boolean;
      serverVersion: string | null;
      /** /api/ps's context_length after the last load (null when the server did not say). */
      loadedContext: number | null;
      /** The run's one growth of num_ctx after a counted overflow, if it happened. */
      reloads: { caller: string; fromNumCtx: number; toNumCtx: number; countedPromptTokens?: number }[];
      tokenRatio: number;
    }[]
  > {
    const out = [];
    for (const [key, opened] of this.runs) {
      const run = await opened;
      if (!run.ok) continue;
      const r = run.value;
      const m = this.config.model;
      out.push({
        endpoint: endpointLabel(this.endpoints[Number(key.slice(0, key.indexOf("\u0000")))]!),
        model: r.model,
        ...(r.facts.digest ? { digest: r.facts.digest } : {}),
        ...(r.facts.quantization ? { quantization: r.facts.quantization } : {}),
        ...(r.facts.parameterSize ? { parameterSize: r.facts.parameterSize } : {}),
        numCtx: r.numCtx,
        temperature: m.temperature,
        ...(m.seed !== undefined ? { seed: m.seed } : {}),
        keepAlive: m.keepAlive,
        think: [...ROLES].some((role) => roleModel(this.config, role).model === r.model && roleModel(this.config, role).think),
        serverVersion: r.features.version ?? null,
        loadedContext: r.loadedContext ?? null,
        reloads: [...r.reloads],
        tokenRatio: Math.round(r.tokenRatio * 1000) / 1000,
      });
    }
    return out;
  }

  modelFor(role: Role): string {
    return roleModel(this.config, role).model;
  }

  private keyOf(role: Role): string {
    const r = roleModel(this.config, role);
    return `${r.model}\u0000${r.think}`;
  }

  private async open(role: Role, endpoint: EndpointConfig): Promise<ModelResult<ModelRun>> {
    const need = this.needs.get(this.keyOf(role)) ?? { largestPromptTokens: 4096, outputBudget: 2048 };
    const opened = await openModelRun(runSettings(this.config, role, need, this.onEvent, this.signal, endpoint, this.env));
    if (!opened.ok) return opened;
    const loaded = await opened.value.preload(this.signal);
    if (!loaded.ok) return loaded;
    return opened;
  }
}

/** No configured endpoint lists the model. */
export function noEndpointListsModel(model: string, endpoints: readonly EndpointConfig[]): ModelError {
  return {
    kind: "model-missing",
    model,
    message: `no [[model.endpoints]] entry serves ${model} (their models lists: ${endpoints.map((e) => `${endpointLabel(e)} → ${(e.models ?? []).join(", ")}`).join("; ")})`,
    hint: `add ${model} to the models list of an endpoint that has it, or leave models out so the server is asked`,
  };
}

/** Every endpoint that could serve the model failed: the first failure's kind (it decides the exit code), all of their reasons. */
export function noEndpointCanServe(model: string, errors: readonly { label: string; error: ModelError }[]): ModelError {
  const first = errors[0]!.error;
  return {
    ...first,
    message: `no endpoint can serve ${model}: ${errors.map((e) => `${e.label}: ${e.error.message}`).join("; ")}`,
    hint: first.hint,
  };
}
