// Where a comparison's models run: one after another, or side by side.
// Side by side needs every model on endpoints of its own: each model's
// servers are the endpoints whose `models` list names it (no list: any) and,
// for an Ollama endpoint, that have it installed (/api/tags); when no two
// models share a server, each model's runs go to its own servers only, all
// models at once, and no server ever loads another model's weights. Anything
// else (one endpoint, a model no endpoint serves, two models on one server)
// is one model after another, as before. Pure, but for `endpointFacts`.

import { parseOllamaHost } from "../../models/host.js";
import { findInstalled, listInstalledModels, type InstalledModel } from "../../models/model-facts.js";
import { endpointLabel, endpointListsModel } from "../config/endpoints.js";
import type { EndpointConfig } from "../config/types.js";

/** What one endpoint has installed; undefined when it cannot say (an OpenAI-compatible server, or one not answering). */
export type EndpointInstalled = InstalledModel[] | undefined;

export type ComparePlacement =
  | { kind: "one-after-another"; why: string }
  | { kind: "side-by-side"; lanes: CompareLane[] };

export interface CompareLane {
  model: string;
  /** The endpoints this model's runs go to, and only they. */
  endpoints: EndpointConfig[];
  labels: string[];
}

/** Asks each Ollama endpoint what it has installed (in parallel); OpenAI-compatible ones are not asked. */
export async function endpointFacts(endpoints: readonly EndpointConfig[], signal: AbortSignal): Promise<EndpointInstalled[]> {
  return Promise.all(
    endpoints.map(async (e) => {
      if (e.kind !== "ollama") return undefined;
      const listed = await listInstalledModels(parseOllamaHost(e.url), signal);
      return listed.ok ? listed.value : undefined;
    }),
  );
}

/** Could endpoint i serve this model: its list names it, and (when it can say) it has it installed. */
function serves(endpoint: EndpointConfig, installed: EndpointInstalled, model: string): boolean {
  if (!endpointListsModel(endpoint, model)) return false;
  return installed === undefined || findInstalled(installed, model) !== undefined;
}

/**
 * Side by side when there are several models and every one has servers that
 * no other compared model has (and, with the judge on, those servers list the
 * reviewer too, so a review never needs another server); otherwise one after another, with why.
 */
export function placeModels(models: readonly string[], endpoints: readonly EndpointConfig[], installed: readonly EndpointInstalled[], reviewer?: string): ComparePlacement {
  if (models.length < 2) return { kind: "one-after-another", why: "one model" };
  if (endpoints.length < 2) return { kind: "one-after-another", why: "one endpoint" };
  const servers = models.map((m) => endpoints.map((_, i) => i).filter((i) => serves(endpoints[i]!, installed[i], m)));
  const lanes: CompareLane[] = [];
  for (const [k, model] of models.entries()) {
    const own = servers[k]!;
    if (own.length === 0) return { kind: "one-after-another", why: `no endpoint serves ${model} alone` };
    const shared = own.find((i) => models.some((other, j) => j !== k && servers[j]!.includes(i)));
    if (shared !== undefined) return { kind: "one-after-another", why: `${endpointLabel(endpoints[shared]!)} serves more than one of them` };
    if (reviewer !== undefined && !own.every((i) => endpointListsModel(endpoints[i]!, reviewer))) return { kind: "one-after-another", why: `the reviewer ${reviewer} is not listed beside ${model}` };
    const mine = own.map((i) => endpoints[i]!);
    lanes.push({ model, endpoints: mine, labels: mine.map(endpointLabel) });
  }
  return { kind: "side-by-side", lanes };
}
