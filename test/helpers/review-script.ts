// Scripted answers for the implementation judge (build.review): review
// prompts are told apart by their "# Review of task T00N:" heading, the
// builder's replies are routed by task as in calc-build.ts.

import type { RecordedRequest, ReplyScript } from "../fake-ollama/server.js";
import { routedReplies } from "./calc-build.js";

/** Which task a review prompt is for, or undefined for any other request. */
export function reviewOf(request: RecordedRequest): string | undefined {
  const user = request.messages?.find((m) => m.role === "user");
  return user ? /^# Review of task (T\d+):/m.exec(user.content)?.[1] : undefined;
}

export type ScriptedVerdict = { item: string; verdict: "pass" | "fail" | "cannot-tell"; file: string; quote: string; reason: string };

/** A judge's answer, as the structured call's JSON. */
export const answer = (verdicts: ScriptedVerdict[]): ReplyScript => ({ content: JSON.stringify({ verdicts }) });

export const cannotTell = (item: string): ScriptedVerdict => ({ item, verdict: "cannot-tell", file: "", quote: "", reason: "another task's file" });

/** Builder replies by task, reviewer answers by task (each list in order; its last repeats). */
export function withReviews(build: Record<string, (string | ReplyScript)[]>, reviews: Record<string, ReplyScript[]>): (request: RecordedRequest) => ReplyScript {
  const builder = routedReplies(build);
  const used: Record<string, number> = {};
  return (request) => {
    const id = reviewOf(request);
    if (id === undefined) return builder(request);
    const list = reviews[id] ?? [];
    const n = used[id] ?? 0;
    used[id] = n + 1;
    return list[Math.min(n, list.length - 1)] ?? { content: "{}" };
  };
}
