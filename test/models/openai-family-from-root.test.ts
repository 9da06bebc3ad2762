// The tokenizer family of a model an OpenAI-compatible server serves: from its
// name, llama-server's model file, or vLLM's root (the model behind a
// --served-model-name; vLLM's ModelCard `root`, vllm/entrypoints/openai/serving_models.py).

import { describe, expect, it } from "vitest";
import { familyOf } from "../../models/openai-run.js";
import type { OpenAiServerFacts } from "../../models/openai-server.js";

const vllm = (models: OpenAiServerFacts["models"]): OpenAiServerFacts => ({ flavour: "vllm", version: "0.11.0", models, servedContext: undefined, totalSlots: undefined, modelPath: undefined, tokenizer: "vllm" });

describe("familyOf", () => {
  it("reads vLLM's root when the served name says nothing", () => {
    expect(familyOf("coder", vllm([{ id: "coder", root: "Qwen/Qwen2.5-Coder-7B-Instruct" }]))).toBe("qwen");
    expect(familyOf("coder", vllm([{ id: "coder", root: "meta-llama/Llama-3.1-8B-Instruct" }]))).toBe("llama3");
    // Another model's root is not this one's.
    expect(familyOf("coder", vllm([{ id: "other", root: "Qwen/Qwen2.5-Coder-7B-Instruct" }, { id: "coder" }]))).toBeUndefined();
  });

  it("still reads the name and llama-server's model file", () => {
    expect(familyOf("Qwen/Qwen2.5-Coder-7B-Instruct", vllm([]))).toBe("qwen");
    expect(familyOf("local", { ...vllm([]), flavour: "llama-server", modelPath: "/models/gemma-3-12b-it-Q4_K_M.gguf", tokenizer: "llama-server" })).toBe("gemma");
  });
});
