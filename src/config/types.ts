// The effective project configuration, after defaults, the user config file,
// the project's specwright.toml, the environment and flags are overlaid.

export const ROLES = ["audit", "planner", "build", "fixer", "reviewer", "drafter"] as const;
export type Role = (typeof ROLES)[number];

export interface RoleModel {
  /** Ollama model name, e.g. "qwen2.5-coder:14b". */
  model: string;
  /** Ask thinking models to think. Off unless the role's config turns it on. */
  think: boolean;
}

/** The kinds of model server an endpoint can be: Ollama's own API, or the OpenAI-compatible one (llama-server, vLLM, SGLang, LM Studio, LiteLLM). */
export const ENDPOINT_KINDS = ["ollama", "openai"] as const;
export type EndpointKind = (typeof ENDPOINT_KINDS)[number];

/** One `[[model.endpoints]]` entry: a model server a build may spread its tasks over. */
export interface EndpointConfig {
  /** Base URL as written (credentials in it are never printed). */
  url: string;
  kind: EndpointKind;
  /** Concurrent requests it takes (llama-server --parallel, vLLM's batch); default 1. */
  slots: number;
  /** The models it serves; absent: whatever it has (asked at the start of a run). */
  models?: string[];
  /** The NAME of the environment variable holding its API key; the key itself is never in a file. */
  apiKeyEnv?: string;
  /** Where the entry is written, for messages ("specwright.toml:12"). */
  source: string;
}

export interface SpecwrightConfig {
  project: {
    name: string;
    /** Relative to the project root. */
    specDir: string;
    contextDir: string;
  };
  output: {
    /** Relative to the project root; may be ".". */
    dir: string;
    language: string;
    /** A framework the prompts name beside the language ("" for none). */
    framework: string;
  };
  model: {
    /** As written in config or OLLAMA_HOST; models/host.ts normalises it to a base URL. */
    host: string;
    default: string;
    /** Per-role overrides; a role without one uses `default` with think off. */
    roles: Partial<Record<Role, RoleModel>>;
    numCtx: "auto" | number;
    keepAlive: string;
    temperature: number;
    seed?: number;
    /** Per-call stall timeout: no chunk for this long ends the call. */
    requestTimeoutMs: number;
    /** `[[model.endpoints]]`; empty: the one Ollama at `host` (build.parallel slots). */
    endpoints: EndpointConfig[];
  };
  build: {
    maxFixAttempts: number;
    /** The implementation judge after each task's verify passes (build.review = "on"). */
    review: boolean;
    /** Review-fail → fix rounds per task. */
    maxReviewAttempts: number;
    verifyTimeoutMs: number;
    /**
     * Model calls at once. With the one Ollama at model.host, its slots
     * (default 1). With `[[model.endpoints]]`, a limit over all of them; not
     * set, it is their slots added up (the loader fills it in), so each
     * endpoint's slots alone decide.
     */
    parallel: number;
    /** Another task may generate while a task's verify runs; off keeps a failing task's prompt cached for its fix. */
    overlapVerify: boolean;
    git: boolean;
    setup: string[];
    /** Project-wide verify commands, run after each task's own (e.g. `cargo check`). */
    verify: string[];
    /** Output budget (num_predict) of a build call: whole files, so generous; num_ctx is sized to fit it. */
    maxOutputTokens: number;
  };
  audit: {
    maxFixCycles: number;
    /** After an ask's proposal is applied, a focused audit of the parts it changed offers follow-up edits (audit.after_ask = "on"). */
    afterAsk: boolean;
  };
  test: {
    /** Ossature's `[test] require_coverage`: a requirement no verification case (or task `covers`) checks fails validate, plan --check, build and status --coverage. */
    requireCoverage: boolean;
  };
  traces: {
    keepRuns: number;
  };
  ui: {
    /** Plain accessible mode for the terminal UI: no box drawing, no spinners, linear output. */
    plain: boolean;
  };
}

/** Where an effective value came from, for `specwright config`. */
export type ConfigSource =
  | { kind: "default" }
  | { kind: "file"; file: string; line: number }
  | { kind: "env"; name: string }
  | { kind: "flag"; name: string };

export interface LoadedConfig {
  config: SpecwrightConfig;
  /** Dotted key ("model.default", "build.parallel") → where its value came from. */
  sources: Map<string, ConfigSource>;
  /** Directory holding specwright.toml (or ossature.toml), or the working directory when none was found. */
  root: string;
  /** The project file that was read, if any. */
  projectFile?: string;
  /** "specwright" for specwright.toml, "ossature" for an Ossature project, "none" outside a project. */
  projectKind: "specwright" | "ossature" | "none";
  /** The user config file's absolute path, and whether it exists (it was read when it does). */
  userFile?: { path: string; exists: boolean };
}

/** The model a role resolves to. */
export function roleModel(config: SpecwrightConfig, role: Role): RoleModel {
  return config.model.roles[role] ?? { model: config.model.default, think: false };
}
