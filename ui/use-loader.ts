// Loads screen data without blocking the UI: the screen shows "loading…"
// while it runs; a newer load wins over an older one still in flight (a
// generation counter, as in codex-cli's agent loop).

import { useCallback, useEffect, useRef, useState } from "react";

export type Loaded<T> = { state: "loading"; value: T | undefined } | { state: "ready"; value: T } | { state: "failed"; value: T | undefined; error: string };

export function useLoader<T>(load: (() => Promise<T>) | undefined, deps: readonly unknown[]): [Loaded<T>, () => void] {
  const [result, setResult] = useState<Loaded<T>>({ state: "loading", value: undefined });
  const generation = useRef(0);
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    if (!load) return;
    const mine = ++generation.current;
    setResult((r) => ({ state: "loading", value: r.value }));
    load().then(
      (value) => {
        if (mine === generation.current) setResult({ state: "ready", value });
      },
      (error: unknown) => {
        if (mine === generation.current) setResult((r) => ({ state: "failed", value: r.value, error: error instanceof Error ? error.message : String(error) }));
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, reloads]);
  const reload = useCallback(() => setReloads((n) => n + 1), []);
  return [result, reload];
}
