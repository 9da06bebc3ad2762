// A structured answer, the same for every adapter: ask with the schema, parse
// and validate the reply, and once re-ask quoting the problems (appended to the
// conversation, so the first ask stays a cached prefix); a second bad answer
// is malformed-output.

import { fail, ok, type ModelResult } from "./errors.js";
import type { ModelEvent } from "./events.js";
import { parseJsonReply, validateJson, type JsonSchema } from "./json-schema.js";
import type { ChatMessage } from "./call-record.js";
import type { CallReply, CallRequest, StructuredReply, StructuredRequest } from "./model-run.js";

/**
 * Runs the ask / validate / re-ask loop over `call`. It never thinks: servers
 * hold `format` back while a thinking model thinks (Ollama before v0.31.2,
 * PR #15901), and a thought-out answer spends budget the JSON needs.
 */
export async function askStructured<T>(
  call: (request: CallRequest) => Promise<ModelResult<CallReply>>,
  request: StructuredRequest<T>,
  emit: (event: ModelEvent) => void,
): Promise<ModelResult<StructuredReply<T>>> {
  let messages: ChatMessage[] = [...request.messages];
  let problems: string[] = [];
  let lastReply = "";
  for (let ask = 1; ask <= 2; ask++) {
    const result = await call({
      caller: request.caller,
      messages,
      think: false,
      format: request.schema,
      ...(request.outputBudget !== undefined ? { outputBudget: request.outputBudget } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.recorder ? { recorder: request.recorder() } : {}),
      ...(request.sessionId !== undefined ? { sessionId: request.sessionId } : {}),
    });
    if (!result.ok) return result;
    const reply = result.value;
    lastReply = reply.content;
    const checked = checkStructured(reply.content, request.schema, request.accept);
    if (checked.ok) return ok({ value: checked.value, reply, asks: ask });
    problems = checked.problems;
    if (ask === 1) {
      emit({ type: "re-ask", callId: reply.callId, caller: request.caller, problems });
      // Appending keeps the first ask's whole prompt as a cached prefix.
      messages = [
        ...messages,
        { role: "assistant", content: reply.content },
        {
          role: "user",
          content: `Your answer was not valid:\n${problems.map((p) => `- ${p}`).join("\n")}\nAnswer again with only the corrected JSON value, following the schema exactly.`,
        },
      ];
    }
  }
  return fail({
    kind: "malformed-output",
    caller: request.caller,
    problems,
    reply: lastReply,
    message: `the model's answer for ${request.caller} was invalid twice: ${problems[0] ?? "unknown problem"}`,
    hint: "small models drift from the format; try a larger model for this role, or run again",
  });
}

function checkStructured<T>(
  content: string,
  schema: JsonSchema,
  accept: StructuredRequest<T>["accept"],
): { ok: true; value: T } | { ok: false; problems: string[] } {
  const parsed = parseJsonReply(content);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  const problems = validateJson(parsed.value, schema);
  if (problems.length > 0) return { ok: false, problems };
  if (accept) return accept(parsed.value);
  return { ok: true, value: parsed.value as T };
}
