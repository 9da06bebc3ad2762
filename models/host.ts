// Turns `model.host` / OLLAMA_HOST into the base URL the client talks to, with
// the same rules as the ollama CLI (envconfig.Host in the Go source), so a
// value that works for `ollama run` works here too. The `ollama` npm client has
// its own, slightly different parser and ignores OLLAMA_HOST; we never rely on it.

export const DEFAULT_OLLAMA_PORT = 11434;
export const DEFAULT_OLLAMA_URL = `http://127.0.0.1:${DEFAULT_OLLAMA_PORT}`;

export interface OllamaHost {
  /** Base URL without a trailing slash, e.g. "http://127.0.0.1:11434" or "https://gpu.lan:443/ollama". */
  url: string;
  /** Set when part of the value was ignored (an invalid port), as the CLI does with a warning. */
  warning?: string;
}

/**
 * Parses a host value the way the ollama CLI does:
 * `host`, `host:port`, `:port`, `[v6]:port`, `http://…`, `https://…`, with an
 * optional path that is kept. Empty means the default 127.0.0.1:11434. A bare
 * host or `host:port` without a scheme uses 11434; an explicit `http://` without
 * a port uses 80 and `https://` uses 443 (exactly what the CLI does).
 */
export function parseOllamaHost(raw: string | undefined): OllamaHost {
  // The CLI trims whitespace and surrounding quotes (values pasted from docs often keep them).
  const value = (raw ?? "").trim().replace(/^["']+|["']+$/g, "");
  let scheme = "http";
  let defaultPort = String(DEFAULT_OLLAMA_PORT);
  let rest = value;
  const schemeEnd = value.indexOf("://");
  if (schemeEnd >= 0) {
    scheme = value.slice(0, schemeEnd).toLowerCase();
    rest = value.slice(schemeEnd + 3);
    if (scheme === "http") defaultPort = "80";
    else if (scheme === "https") defaultPort = "443";
  }
  const slash = rest.indexOf("/");
  const hostPort = slash >= 0 ? rest.slice(0, slash) : rest;
  const path = slash >= 0 ? rest.slice(slash + 1).replace(/\/+$/, "") : "";

  let host: string;
  let port: string;
  const split = splitHostPort(hostPort);
  if (split) {
    host = split.host;
    port = split.port;
  } else {
    host = hostPort.replace(/^\[|\]$/g, "");
    port = defaultPort;
  }
  // An empty or unspecified address means "this machine" for a client; the Go
  // dialer treats it that way, Node's fetch needs it spelled out.
  if (host === "" || host === "0.0.0.0") host = "127.0.0.1";
  else if (host === "::") host = "::1";

  let warning: string | undefined;
  const portNumber = /^\d+$/.test(port) ? Number(port) : NaN;
  if (!(portNumber >= 0 && portNumber <= 65535)) {
    warning = `invalid port '${port}' in Ollama host '${value}', using ${defaultPort}`;
    port = defaultPort;
  }
  const hostPart = host.includes(":") ? `[${host}]` : host;
  const url = `${scheme}://${hostPart}:${port}${path ? `/${path}` : ""}`;
  return warning === undefined ? { url } : { url, warning };
}

/** Go's net.SplitHostPort: "h:p", "[v6]:p", ":p"; undefined when there is no port part. */
function splitHostPort(hostPort: string): { host: string; port: string } | undefined {
  if (hostPort.startsWith("[")) {
    const close = hostPort.indexOf("]");
    if (close < 0 || hostPort[close + 1] !== ":") return undefined;
    return { host: hostPort.slice(1, close), port: hostPort.slice(close + 2) };
  }
  const colon = hostPort.lastIndexOf(":");
  // More than one colon without brackets is a bare IPv6 address, not host:port.
  if (colon < 0 || hostPort.indexOf(":") !== colon) return undefined;
  return { host: hostPort.slice(0, colon), port: hostPort.slice(colon + 1) };
}
