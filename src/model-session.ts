// Opens model runs for the roles of a command (audit, fixer, planner, build…)
// from the effective config. Roles that resolve to the same model share one
// run, so Ollama keeps one model loaded with one num_ctx.

import type { ModelEventListener } from "../models/events.js";
import { openModelRun, type ModelRun, type ModelRunSettings } from "../models/model-run.js";
import type { ModelResult } from "../models/errors.js";
import { ROLES, roleModel, type Role, type SpecwrightConfig } from "./config/types.js";

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
): ModelRunSettings {
  const { model, think } = roleModel(config, role);
  const m = config.model;
  return {
    host: m.host,
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

export class ModelSession {
  private readonly runs = new Map<string, Promise<ModelResult<ModelRun>>>();
  private readonly needs = new Map<string, { largestPromptTokens: number; outputBudget: number }>();

  constructor(
    private readonly config: SpecwrightConfig,
    private readonly onEvent: ModelEventListener,
    private readonly signal?: AbortSignal,
  ) {}

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

  /** The run for a role, opened (and preloaded) on first use. */
  run(role: Role): Promise<ModelResult<ModelRun>> {
    const key = this.keyOf(role);
    let run = this.runs.get(key);
    if (!run) {
      run = this.open(role, key);
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
    for (const opened of this.runs.values()) {
      const run = await opened;
      if (!run.ok) continue;
      const r = run.value;
      const m = this.config.model;
      out.push({
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

  private async open(role: Role, key: string): Promise<ModelResult<ModelRun>> {
    const need = this.needs.get(key) ?? { largestPromptTokens: 4096, outputBudget: 2048 };
    const opened = await openModelRun(runSettings(this.config, role, need, this.onEvent, this.signal));
    if (!opened.ok) return opened;
    const loaded = await opened.value.preload(this.signal);
    if (!loaded.ok) return loaded;
    return opened;
  }
}
