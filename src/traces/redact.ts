// Secret redaction for traces. Prompts can contain anything the user's project
// holds, and error messages can echo the environment; values of environment
// variables whose names look like secrets must never reach a trace file.

/** Name segments that mark a variable as secret (OPENAI_API_KEY, GITHUB_TOKEN, DB_PASS…). */
const SECRET_SEGMENT =
  /^(?:API)?(?:KEYS?|TOKENS?|SECRETS?|PASSWORD|PASSWD|PASS|PASSPHRASE|CREDENTIALS?|AUTH|AUTHORIZATION|PRIVATE|COOKIE|SESSION|SIGNATURE)$/;
/** Glued forms (APIKEY, ACCESSTOKEN, PGPASSWORD), with known prefixes so MONKEY and HOCKEY stay ordinary. */
const GLUED_SECRET =
  /^(?:API|ACCESS|SECRET|PRIVATE|CLIENT|AUTH|SESSION|BEARER|REFRESH|DB|PG|MYSQL|REDIS|SSH|GPG|SIGNING|ENCRYPTION|MASTER|ADMIN|ROOT|USER)(?:KEY|TOKEN|SECRET|PASSWORD|PASS)$/;

/** Short values ("1", "true", "dev") would redact ordinary words everywhere. */
export const MIN_SECRET_LENGTH = 6;

export function looksLikeSecretName(name: string): boolean {
  return name
    .toUpperCase()
    .split(/[_\-.]+/)
    .some((segment) => SECRET_SEGMENT.test(segment) || GLUED_SECRET.test(segment));
}

export interface Secret {
  name: string;
  value: string;
}

/**
 * Variables the config names as holding a key (an endpoint's api_key_env),
 * secret whatever they are called. Declared when the config is read, before
 * any call: every redactor made after that knows them.
 */
const declaredSecretNames = new Set<string>();

export function declareSecretNames(names: Iterable<string>): void {
  for (const name of names) declaredSecretNames.add(name);
}

/** Grows with every declared name: a long-lived redactor rebuilds itself when it changes. */
export function declaredSecretCount(): number {
  return declaredSecretNames.size;
}

export function secretsFromEnv(env: NodeJS.ProcessEnv): Secret[] {
  const secrets: Secret[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value.length < MIN_SECRET_LENGTH || !(looksLikeSecretName(name) || declaredSecretNames.has(name))) continue;
    secrets.push({ name, value });
    // The same value inside JSON (meta.json) is escaped; redact that form too.
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped !== value) secrets.push({ name, value: escaped });
  }
  // Longest first, so a secret containing another is replaced whole.
  return secrets.sort((a, b) => b.value.length - a.value.length);
}

export class Redactor {
  constructor(private readonly secrets: readonly Secret[]) {}

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret.value)) out = out.split(secret.value).join(`[redacted $${secret.name}]`);
    }
    return out;
  }

  /** A redactor for text that arrives in pieces, where a secret can straddle two deltas. */
  stream(): StreamRedactor {
    return new StreamRedactor(this);
  }

  /** The longest suffix of `text` that could still grow into a secret. */
  pendingTail(text: string): number {
    let longest = 0;
    for (const { value } of this.secrets) {
      for (let n = Math.min(value.length - 1, text.length); n > longest; n--) {
        if (text.endsWith(value.slice(0, n))) {
          longest = n;
          break;
        }
      }
    }
    return longest;
  }
}

/**
 * Holds back only what might be the start of a secret: everything else is
 * released at once, so a crash loses at most a few characters of a reply.
 */
export class StreamRedactor {
  private pending = "";

  constructor(private readonly redactor: Redactor) {}

  /** Returns the text that is safe to write now. */
  push(text: string): string {
    const redacted = this.redactor.redact(this.pending + text);
    const hold = this.redactor.pendingTail(redacted);
    this.pending = redacted.slice(redacted.length - hold);
    return redacted.slice(0, redacted.length - hold);
  }

  /** The rest, at the end of the stream. */
  flush(): string {
    const rest = this.redactor.redact(this.pending);
    this.pending = "";
    return rest;
  }
}

/**
 * Every string inside a value, redacted; the value's shape is kept. For
 * events on their way to a screen or stdout, which CI logs keep as traces.
 */
export function redactValue<T>(redactor: Redactor, value: T): T {
  if (typeof value === "string") return redactor.redact(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactValue(redactor, v)) as T;
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactValue(redactor, v);
    return out as T;
  }
  return value;
}

/**
 * Redacts text that arrives in pieces on several streams at once (one per
 * model call and kind, one per verify command): each stream holds back only
 * what might be the start of a secret, and gives it up when it ends.
 */
export class StreamRedactors {
  private readonly streams = new Map<string, StreamRedactor>();

  constructor(private readonly redactor: Redactor) {}

  push(stream: string, text: string): string {
    let s = this.streams.get(stream);
    if (!s) {
      s = this.redactor.stream();
      this.streams.set(stream, s);
    }
    return s.push(text);
  }

  /** The held-back rest of a stream that ended ("" when there is none). */
  end(stream: string): string {
    const s = this.streams.get(stream);
    this.streams.delete(stream);
    return s ? s.flush() : "";
  }
}
