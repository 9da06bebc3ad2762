// Gathers what a task's prompt and key are made of from disk (dependency
// files, context files, files it edits) and assembles them. The model digest
// in the key is the one recorded when the task was last built: deciding that
// nothing changed must not need Ollama (a no-op build makes zero requests),
// so a re-pulled model alone does not rebuild anything — `build --force` does,
// and `why` shows the digest change when Ollama is reachable.

import { casesKeyPart, type TaskCases } from "./cases-step.js";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { estimateMessagesTokens } from "../../models/context-budget.js";
import type { Plan, Task } from "../../plans/plan.js";
import { sha256Hex } from "../../plans/content-hash.js";
import { computeTaskKey } from "../../plans/task-key.js";
import { roleModel, type SpecwrightConfig } from "../config/types.js";
import type { StateFile } from "../state/state-file.js";
import { specIndexOf, type SpecGroup } from "../specs/project-specs.js";
import { taskRecord } from "./build-state.js";
import { readOutputFile } from "./read-output-file.js";
import type { DependencyOutputs, PreparedTask, TaskMessages } from "./build-input.js";
import {
  FIX_REQUEST_TOKENS,
  assembleTaskPrompt,
  fixMessages,
  freshFixMessages,
  freshPiecesMessages,
  freshReaskMessages,
  piecesMessages,
  projectBrief,
  promptKeyParts,
  reaskMessages,
} from "./task-prompt.js";
import { freshReviewFixMessages, reviewFixMessages } from "./review-prompt.js";
import type { AcceptedIntent } from "./review-items.js";
import { componentsWriting } from "./task-refs.js";
import { resolveRef } from "../../plans/spec-index.js";
import type { IntentEntry } from "../intent/intent-log.js";
import { entriesTouching, type SpecRef } from "../intent/intent-links.js";

/** Output budget of a build call (build.max_output_tokens): whole files, so generous; num_ctx is sized to fit it. */
export function buildOutputBudget(config: SpecwrightConfig): number {
  return config.build.maxOutputTokens;
}

export const taskMessages: TaskMessages = {
  fix: fixMessages,
  freshFix: freshFixMessages,
  reviewFix: reviewFixMessages,
  freshReviewFix: freshReviewFixMessages,
  reask: reaskMessages,
  freshReask: freshReaskMessages,
  pieces: piecesMessages,
  freshPieces: freshPiecesMessages,
  fixRequestTokens: FIX_REQUEST_TOKENS,
};

/** "qwen2.5-coder:14b@0123abcd…" → the digest part, when the name matches. */
function recordedDigest(components: Record<string, string> | undefined, model: string): string {
  const value = components?.model;
  if (!value) return "";
  const at = value.lastIndexOf("@");
  return at > 0 && value.slice(0, at) === model ? value.slice(at + 1) : "";
}

export interface TaskPreparerInput {
  root: string;
  outputDir: string;
  config: SpecwrightConfig;
  plan: Plan;
  state: StateFile;
  groups: readonly SpecGroup[];
  /** The verification cases each task owns (cases-step.ts): their hash is part of its key. */
  cases?: TaskCases;
  /** The intent log's entries (read once per command): the judge sees the accepted words behind a task's refs. */
  intents?: readonly IntentEntry[];
}

/**
 * The accepted requests whose decision changed a part of this task's prompt:
 * a ref (or the whole section holding it) or a component it writes. Not part
 * of the key: the accepted change is already in the spec text the key hashes.
 */
export function acceptedIntentsFor(task: Task, group: SpecGroup, entries: readonly IntentEntry[]): AcceptedIntent[] {
  if (entries.length === 0) return [];
  const index = specIndexOf(group);
  const refs: SpecRef[] = [];
  for (const ref of task.refs) {
    const target = resolveRef(index, ref);
    if (!target) continue;
    refs.push({ spec: group.id, ref: target.kind === "section" ? target.name.toLowerCase() : target.kind === "requirement" ? `requirements/${target.anchor}` : `components/${target.name}` });
  }
  for (const c of componentsWriting(group, [...task.outputs, ...task.edits])) refs.push({ spec: group.id, ref: `components/${c.name}` });
  const byId = new Map(entries.map((e) => [e.id, e]));
  return entriesTouching(entries, refs).map(({ entry, refs: changed }) => {
    // A follow-up's words refine the request it follows: the judge reads the thread from its start.
    const thread: IntentEntry[] = [entry];
    for (let at = entry.request.thread; at !== undefined && !thread.some((e) => e.id === at); ) {
      const earlier = byId.get(at);
      if (!earlier) break;
      thread.unshift(earlier);
      at = earlier.request.thread;
    }
    return {
      id: entry.id,
      author: entry.request.author,
      words: thread.map((e) => ({ id: e.id, words: e.request.words })),
      refs: [...new Set(changed.map((c) => c.ref))],
    };
  });
}

export function taskPreparer(input: TaskPreparerInput): (task: Task, dependencies: DependencyOutputs) => Promise<PreparedTask> {
  const { config, plan, state } = input;
  const byId = new Map(plan.tasks.map((t) => [t.id, t]));
  const { model, think } = roleModel(config, "build");
  const options = { numPredict: buildOutputBudget(config), temperature: config.model.temperature, seed: config.model.seed, think };
  return async (task, dependencies) => {
    const group = input.groups.find((g) => g.id === task.spec);
    if (!group) throw new Error(`task ${task.id} names spec ${task.spec}, which plan validation should have rejected`);
    // Files read from the output dir that resolve outside it: never read, and the task cannot be prompted.
    const outside: string[] = [];
    const readOutput = async (path: string): Promise<string | undefined> => {
      const read = await readOutputFile(input.outputDir, path);
      if (read.kind === "outside") outside.push(read.message);
      return read.kind === "read" ? read.content : undefined;
    };
    const deps = await Promise.all(
      task.dependsOn.map(async (id) => {
        const dep = byId.get(id);
        const paths = Object.keys(dependencies[id] ?? {}).length > 0 ? Object.keys(dependencies[id]!) : (dep?.outputs ?? []);
        const files = [];
        for (const path of paths) {
          const content = await readOutput(path);
          if (content !== undefined) files.push({ path, content });
        }
        return { id, title: dep?.title ?? id, files };
      }),
    );
    const readProjectFile = async (path: string) => ({ path, content: await readFile(join(input.root, path)).catch(() => new Uint8Array()) });
    const context = await Promise.all(task.context.map(readProjectFile));
    // A copy task's sources are what its outputs are made of: their bytes are in its key.
    const copied = await Promise.all(task.copy.filter((path) => !task.context.includes(path)).map(readProjectFile));
    const edits = await Promise.all(task.edits.map(async (path) => ({ path, content: (await readOutput(path)) ?? "" })));
    const prompt = assembleTaskPrompt({
      task,
      spec: group,
      brief: projectBrief(group, { name: config.project.name, language: config.output.language, framework: config.output.framework, outputDir: config.output.dir }),
      dependencies: deps,
      context,
      edits,
      acceptedIntents: acceptedIntentsFor(task, group, input.intents ?? []),
    });
    const casesPart = casesKeyPart(input.cases?.get(task.id));
    const keyFor = (digest: string) =>
      computeTaskKey({
        ...promptKeyParts(prompt),
        task,
        modelName: model,
        modelDigest: digest,
        options,
        contextFiles: Object.fromEntries([...context, ...copied].map((c) => [c.path, sha256Hex(c.content)])),
        verify: task.verify,
        // The files dependencies last wrote, as recorded: an edited file's content in this
        // task's own prompt is its last edit, which must not make the task stale by itself.
        dependencyOutputs: dependencies,
        ...(casesPart !== undefined ? { cases: casesPart } : {}),
      });
    const { key, components } = keyFor(recordedDigest(taskRecord(state, task.id)?.components, model));
    let estimate: number | undefined;
    return {
      messages: prompt.messages,
      expected: prompt.expectedFiles,
      review: prompt.review,
      key,
      components,
      keyFor,
      // Estimating tokens is the costly part of a no-op build; only tasks that build need it.
      get estimatedTokens() {
        return (estimate ??= estimateMessagesTokens(prompt.messages));
      },
      ...(outside.length > 0
        ? { problem: outside.join("; ") }
        : prompt.unresolvedRefs.length > 0
          ? { problem: `refs that no longer resolve: ${prompt.unresolvedRefs.join(", ")} — fix them in plan.toml` }
          : {}),
    };
  };
}
