// Model events on their way to a screen or stdout, redacted the way traces
// are: a delta stream per call and kind goes through a stream redactor (a
// secret can straddle two deltas); what it held back is released as one
// more delta before the call's end event; every other event is redacted whole.

import type { ModelEvent } from "../../models/events.js";
import { redactValue, StreamRedactors, type Redactor } from "./redact.js";

export function redactModelEvents(redactor: Redactor, listener: (event: ModelEvent) => void): (event: ModelEvent) => void {
  const streams = new StreamRedactors(redactor);
  const key = (callId: string, kind: string) => `${callId}\u0000${kind}`;
  return (event) => {
    if (event.type === "delta") {
      const text = streams.push(key(event.callId, event.kind), event.text);
      if (text !== "") listener({ ...event, caller: redactor.redact(event.caller), text });
      return;
    }
    if (event.type === "call-finished" || event.type === "call-failed") {
      for (const kind of ["thinking", "content"] as const) {
        const rest = streams.end(key(event.callId, kind));
        if (rest !== "") listener({ type: "delta", callId: event.callId, caller: redactor.redact(event.caller), kind, text: rest });
      }
    }
    listener(redactValue(redactor, event));
  };
}
