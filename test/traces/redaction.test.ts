import { describe, expect, it } from "vitest";
import { Redactor, looksLikeSecretName, secretsFromEnv } from "../../src/traces/redact.js";

describe("which variables are secrets", () => {
  it.each([
    ["OPENAI_API_KEY", true],
    ["GITHUB_TOKEN", true],
    ["AWS_SECRET_ACCESS_KEY", true],
    ["DB_PASS", true],
    ["PGPASSWORD", true],
    ["NPM_AUTH", true],
    ["HF_APIKEY", true],
    ["PWD", false],
    ["PATH", false],
    ["KEYBOARD_LAYOUT", false],
    ["MONKEY", false],
    ["OLLAMA_HOST", false],
  ])("%s → %s", (name, secret) => {
    expect(looksLikeSecretName(name)).toBe(secret);
  });

  it("ignores values too short to be secrets", () => {
    expect(secretsFromEnv({ API_KEY: "abc", GITHUB_TOKEN: "ghp_abcdef" }).map((s) => s.name)).toEqual(["GITHUB_TOKEN"]);
  });
});

describe("streamed redaction", () => {
  const secret = "sk-live-0123456789";
  const redactor = new Redactor(secretsFromEnv({ OPENAI_API_KEY: secret }));

  it("catches a secret split across deltas at every position", () => {
    const text = `key=${secret}; again ${secret}.`;
    for (let cut = 1; cut < text.length; cut++) {
      for (let cut2 = cut; cut2 < text.length; cut2 += 7) {
        const stream = redactor.stream();
        const out = stream.push(text.slice(0, cut)) + stream.push(text.slice(cut, cut2)) + stream.push(text.slice(cut2)) + stream.flush();
        expect(out).toBe("key=[redacted $OPENAI_API_KEY]; again [redacted $OPENAI_API_KEY].");
      }
    }
  });

  it("releases text that cannot start a secret at once", () => {
    const stream = redactor.stream();
    expect(stream.push("hello world")).toBe("hello world");
    expect(stream.push(" sk-li")).toBe(" ");
    expect(stream.push("ve-9")).toBe("sk-live-9");
  });

  it("redacts the JSON-escaped form of a value too", () => {
    const quoted = new Redactor(secretsFromEnv({ DB_PASSWORD: 'pa"ss\\word' }));
    expect(quoted.redact(JSON.stringify({ dsn: 'x pa"ss\\word y' }))).toBe('{"dsn":"x [redacted $DB_PASSWORD] y"}');
  });
});
