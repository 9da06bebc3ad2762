// Turns `model.host` / OLLAMA_HOST into the base URL the client talks to, with
// the same rules as the ollama CLI (envconfig.Host in the Go source), so a
// value that works for `ollama run` works here too. The `ollama` npm client has
// its own, slightly different parser and ignores OLLAMA_HOST; we never rely on it.

export const DEFAULT_OLLAMA_PORT = 11434;
export const DEFAULT_OLLAMA_URL = `http://127.0.0.1:${DEFAULT_OLLAMA_PORT}`;

export interface OllamaHost {
  /**
   * Base URL without a trailing slash and without credentials, e.g.
   * "http://127.0.0.1:11434" or "https://gpu.lan:443/ollama": safe to print,
   * to put in messages, traces and run.json.
   */
  url: string;
  /**
   * `Basic …` for a `user:password@` in the value (a reverse proxy with basic
   * auth). Sent as a header, never part of `url`, never printed.
   */
  authorization?: string;
  /** Set when part of the value was ignored (an invalid port), as the CLI does with a warning. */
  warning?: string;
}

/** What functions that talk to Ollama accept: a parsed host (with its credentials) or a plain base URL. */
export type OllamaEndpoint = string | OllamaHost;

export function endpointUrl(endpoint: OllamaEndpoint): string {
  return typeof endpoint === "string" ? endpoint : endpoint.url;
}

export function endpointHeaders(endpoint: OllamaEndpoint): Record<string, string> {
  return typeof endpoint !== "string" && endpoint.authorization ? { authorization: endpoint.authorization } : {};
}

/**
 * The header carrying a task's stable session id (`<run>/<task>`): LiteLLM's
 * and the vLLM production stack's session-aware routing read it to keep one
 * task's calls, and so its prefix cache, on one replica. Servers that do not
 * route ignore it.
 */
export const SESSION_ID_HEADER = "X-Session-Id";

/** The session header for a call, or none. */
export function sessionHeaders(sessionId: string | undefined): Record<string, string> {
  return sessionId === undefined || sessionId === "" ? {} : { [SESSION_ID_HEADER]: sessionId };
}

/**
 * `value` with any `user:password@` replaced by `***@`, for showing a host as
 * configured (`specwright config`, warnings).
 */
export function redactHostCredentials(value: string): string {
  return value.replace(/^(\s*["']?(?:[a-z][a-z0-9+.-]*:\/\/)?)[^/@\s]*@/i, "$1***@");
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
  let hostPort = slash >= 0 ? rest.slice(0, slash) : rest;
  const path = slash >= 0 ? rest.slice(slash + 1).replace(/\/+$/, "") : "";
  // `user:password@host:port`. The Go CLI has no notion of credentials here
  // (envconfig.Host hands the whole "user:password@host:port" to
  // net.SplitHostPort, which fails on the extra colon, and the value becomes an
  // IPv6-looking host). We split them off instead: the URL stays printable and
  // the credentials go out as a Basic authorization header.
  let authorization: string | undefined;
  const at = hostPort.lastIndexOf("@");
  if (at >= 0) {
    const userInfo = hostPort.slice(0, at);
    hostPort = hostPort.slice(at + 1);
    if (userInfo !== "") authorization = `Basic ${Buffer.from(decodeUserInfo(userInfo)).toString("base64")}`;
  }

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
    warning = `invalid port '${port}' in Ollama host '${redactHostCredentials(value)}', using ${defaultPort}`;
    port = defaultPort;
  }
  const hostPart = host.includes(":") ? `[${host}]` : host;
  const url = `${scheme}://${hostPart}:${port}${path ? `/${path}` : ""}`;
  return { url, ...(authorization ? { authorization } : {}), ...(warning === undefined ? {} : { warning }) };
}

/** The forms `model.host` / OLLAMA_HOST take, for the error that rejects a value. */
export const OLLAMA_HOST_FORMS = "host, host:port, :port, [ipv6]:port, http://host[:port][/path] or https://host[:port][/path] (as for the ollama CLI)";

/**
 * Whether a host value can be talked to at all: a scheme of http or https, a
 * port from 0 to 65535, and a host name a URL can hold. The ollama CLI warns
 * and falls back to its default port for a bad one; specwright stops instead
 * (a config error, exit 2), since a run against a host the user did not mean
 * is worse than no run.
 */
export function checkOllamaHost(raw: string): { ok: true } | { ok: false; message: string; hint: string } {
  const shown = redactHostCredentials(raw.trim());
  const hint = `write it as ${OLLAMA_HOST_FORMS}`;
  const parsed = parseOllamaHost(raw);
  const scheme = /^([^:/]*):\/\//.exec(parsed.url)?.[1] ?? "";
  if (scheme !== "http" && scheme !== "https") return { ok: false, message: `'${shown}' is not an Ollama host: the scheme must be http:// or https://, not ${scheme}://`, hint };
  if (parsed.warning !== undefined) {
    const port = /invalid port '([^']*)'/.exec(parsed.warning)?.[1] ?? "";
    return { ok: false, message: `'${shown}' is not an Ollama host: the port '${port}' is not a number from 0 to 65535`, hint };
  }
  let url: URL;
  try {
    url = new URL(parsed.url);
  } catch {
    return { ok: false, message: `'${shown}' is not an Ollama host: '${parsed.url}' is not a valid URL`, hint };
  }
  if (url.hostname === "") return { ok: false, message: `'${shown}' is not an Ollama host: it names no host`, hint };
  return { ok: true };
}

/** Percent-escapes in `user:password` are decoded, as browsers and curl do; a malformed escape is kept as typed. */
function decodeUserInfo(userInfo: string): string {
  try {
    return decodeURIComponent(userInfo);
  } catch {
    return userInfo;
  }
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
