// Writes the model of one role (or the default) into the project's
// specwright.toml, changing that one value and nothing else in the file. The
// TUI's Models screen uses it; the effective config is loaded again after.

import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import { tomlString } from "../../plans/serialize-plan.js";
import { parseTomlSource } from "../../plans/toml-source.js";
import { setTomlValue } from "../../plans/toml-set-value.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { decodeSource, hasByteOrderMark } from "../text/decode-source.js";
import { findKey } from "./schema.js";
import type { LoadedConfig, Role } from "./types.js";
import { SCRIPTED_DEMO_MODEL } from "../demo/scripted-demo-label.js";

export type RoleModelWrite =
  | {
      ok: true;
      /** The project file, relative to the project root. */
      file: string;
      /** Set when the environment or a flag overrides the value just written. */
      overriddenBy?: string;
    }
  | { ok: false; message: string; hint?: string };

/** Sets `model.<role>` (or `model.default`) to `model` in specwright.toml. */
export async function writeRoleModel(loaded: LoadedConfig, role: Role | "default", model: string): Promise<RoleModelWrite> {
  const dotted = `model.${role}`;
  // The demo points every role at its stand-in through SPECWRIGHT_MODEL; a
  // config naming it would fail against a real Ollama once the demo is over.
  if (model === SCRIPTED_DEMO_MODEL) {
    return {
      ok: false,
      message: `${SCRIPTED_DEMO_MODEL} is the scripted demo's stand-in, not a model; specwright.toml keeps naming a real one`,
      hint: "pull a model with `ollama pull <model>` and pick it outside the demo",
    };
  }
  const checked = findKey(dotted)?.fromText(model);
  if (!checked) throw new Error(`no config key ${dotted}`);
  if (!checked.ok) return { ok: false, message: `${dotted}: ${checked.message}`, ...(checked.hint !== undefined ? { hint: checked.hint } : {}) };
  if (loaded.projectKind !== "specwright" || !loaded.projectFile) {
    return loaded.projectKind === "ossature"
      ? { ok: false, message: "this is an Ossature project: ossature.toml holds no model settings", hint: "add a specwright.toml, or set SPECWRIGHT_MODEL" }
      : { ok: false, message: "there is no specwright.toml to write to", hint: "`specwright init` creates one" };
  }
  const file = relative(loaded.root, loaded.projectFile) || loaded.projectFile;
  const bytes = await readFile(loaded.projectFile);
  const decoded = decodeSource(bytes, file);
  if (!decoded.ok) return { ok: false, message: decoded.diagnostic.message };
  const bom = hasByteOrderMark(bytes) ? "\uFEFF" : "";
  const source = parseTomlSource(decoded.text, file);
  if (source.value === undefined) {
    const first = source.diagnostics[0];
    return { ok: false, message: `${file} does not parse${first ? ` (line ${first.line}: ${first.message})` : ""}; fix it first` };
  }
  // `build = { model = "…", think = true }` keeps its think: only the model inside changes.
  const key = role !== "default" && source.entry(["model", role, "model"])?.kind === "key" ? [role, "model"] : [role];
  let text: string;
  try {
    text = setTomlValue(bom + decoded.text, "model", key, tomlString(model));
  } catch (error) {
    return { ok: false, message: `cannot change ${file} safely: ${(error as Error).message}`, hint: `set ${dotted} = ${tomlString(model)} by hand` };
  }
  await writeFileAtomic(loaded.projectFile, text);
  const source0 = loaded.sources.get(dotted);
  const overriddenBy = source0?.kind === "env" ? `env ${source0.name}` : source0?.kind === "flag" ? `a flag (${source0.name})` : undefined;
  return { ok: true, file, ...(overriddenBy ? { overriddenBy } : {}) };
}
