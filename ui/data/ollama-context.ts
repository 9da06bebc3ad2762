// The Ollama probe result the shell holds, for the screens that show it.

import { createContext, useContext } from "react";
import type { OllamaStatus } from "./ollama-status.js";

export interface OllamaState {
  status: OllamaStatus | undefined;
  /** Loads the config again and asks Ollama again. */
  reprobe(): Promise<void>;
}

export const OllamaContext = createContext<OllamaState>({ status: undefined, reprobe: async () => undefined });

export function useOllama(): OllamaState {
  return useContext(OllamaContext);
}
