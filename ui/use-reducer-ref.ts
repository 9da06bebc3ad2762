// useReducer whose latest state is also readable from a ref at once: key
// handlers can run before React re-renders (keys faster than frames), and
// must act on the state the previous key left, not on a render's copy.

import { useCallback, useRef, useState, type RefObject } from "react";

export function useReducerRef<S, A>(reducer: (state: S, action: A) => S, init: () => S): [S, (action: A) => void, RefObject<S>] {
  const [state, setState] = useState(init);
  const ref = useRef<S>(state);
  const dispatch = useCallback(
    (action: A) => {
      ref.current = reducer(ref.current, action);
      setState(ref.current);
    },
    [reducer],
  );
  return [state, dispatch, ref];
}
