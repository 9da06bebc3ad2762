// The audit screen's view state (a running audit's progress, the model's
// state, the fix under review) and the batchers that feed it the engine's and
// the model's events, at most about ten renders a second. Every batcher made
// here stops when the screen unmounts, so no event lands after it.

import { useEffect, useRef } from "react";
import type { ModelEvent } from "../../models/events.js";
import type { AuditEvent } from "../../src/audit/run-audit.js";
import { createEventBatcher, type EventBatcher } from "../build/event-batcher.js";
import { usePacedCount, type PacedCount } from "../plain-mode.js";
import { useLiveReducer } from "../use-live-reducer.js";
import { auditViewReducer, initialAuditView, type AuditView, type AuditViewAction } from "./audit-view-state.js";

export interface AuditViewHandle {
  view: AuditView;
  dispatch(action: AuditViewAction): void;
  /** The view as of the last action: keys can arrive faster than frames, so handlers read this, not `view`. */
  live(): AuditView;
  /** Plain mode: the model's count told once a period, not with every token. */
  paced: PacedCount | undefined;
  /** A new batcher of the engine's audit events into the view. */
  auditEvents(): EventBatcher<AuditEvent>;
  /** A new batcher of the model's events into the view. */
  modelEvents(): EventBatcher<ModelEvent>;
}

export function useAuditView(): AuditViewHandle {
  const [view, dispatch, live] = useLiveReducer(auditViewReducer, initialAuditView);
  const paced = usePacedCount(view.model.kind === "asking" ? view.model.callId : undefined, view.model.kind === "asking" ? view.model.tokens : 0);
  const batchers = useRef<EventBatcher<unknown>[]>([]);
  useEffect(() => () => batchers.current.forEach((b) => b.stop()), []);
  const kept = <E>(batcher: EventBatcher<E>): EventBatcher<E> => {
    batchers.current.push(batcher as EventBatcher<unknown>);
    return batcher;
  };
  return {
    view,
    dispatch,
    live,
    paced,
    auditEvents: () => kept(createEventBatcher<AuditEvent>((events) => dispatch({ type: "audit-events", events }))),
    modelEvents: () => kept(createEventBatcher<ModelEvent>((events) => dispatch({ type: "model-events", events }))),
  };
}
