// A reducer whose current state key handlers can read at once. Keys can arrive
// faster than React renders (a paste, a loaded machine): a handler that reads
// the state of the last render would act twice on the same row. This keeps
// the state in a ref, reduced synchronously, and renders from it.

import { useCallback, useRef, useState } from "react";

export function useLiveReducer<S, A>(reducer: (state: S, action: A) => S, initial: () => S): [S, (action: A) => void, () => S] {
  const ref = useRef<S | undefined>(undefined);
  ref.current ??= initial();
  const [state, setState] = useState<S>(ref.current);
  const dispatch = useCallback(
    (action: A) => {
      ref.current = reducer(ref.current as S, action);
      setState(ref.current);
    },
    [reducer],
  );
  const live = useCallback(() => ref.current as S, []);
  return [state, dispatch, live];
}
