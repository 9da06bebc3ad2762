import { describe, expect, it } from "vitest";
import { checkOllamaHost, parseOllamaHost, redactHostCredentials } from "../../models/host.js";

// Expected values follow the Go source of the ollama CLI (envconfig.Host), checked by hand.
const table: Array<[input: string | undefined, url: string]> = [
  [undefined, "http://127.0.0.1:11434"],
  ["", "http://127.0.0.1:11434"],
  ["   ", "http://127.0.0.1:11434"],
  ["1.2.3.4", "http://1.2.3.4:11434"],
  ["gpu.lan", "http://gpu.lan:11434"],
  ["gpu.lan:8080", "http://gpu.lan:8080"],
  [":56789", "http://127.0.0.1:56789"],
  ["0.0.0.0", "http://127.0.0.1:11434"],
  ["0.0.0.0:1234", "http://127.0.0.1:1234"],
  ["http://gpu.lan", "http://gpu.lan:80"],
  ["http://gpu.lan:11434", "http://gpu.lan:11434"],
  ["https://gpu.lan", "https://gpu.lan:443"],
  ["https://gpu.lan:8443", "https://gpu.lan:8443"],
  ["https://gpu.lan/ollama/", "https://gpu.lan:443/ollama"],
  ["gpu.lan:8080/path/to", "http://gpu.lan:8080/path/to"],
  ["[::1]:9999", "http://[::1]:9999"],
  ["::1", "http://[::1]:11434"],
  ['"127.0.0.1:5000"', "http://127.0.0.1:5000"],
  ["'gpu.lan'", "http://gpu.lan:11434"],
  ["HTTP://gpu.lan", "http://gpu.lan:80"],
];

describe("Ollama host parsing matches the ollama CLI", () => {
  it.each(table)("%j → %s", (input, url) => {
    const parsed = parseOllamaHost(input);
    expect(parsed.url).toBe(url);
    expect(parsed.warning).toBeUndefined();
  });

  it("falls back to the default port with a warning when the port is not a number", () => {
    expect(parseOllamaHost("gpu.lan:abc")).toEqual({
      url: "http://gpu.lan:11434",
      warning: "invalid port 'abc' in Ollama host 'gpu.lan:abc', using 11434",
    });
    expect(parseOllamaHost("https://gpu.lan:99999").url).toBe("https://gpu.lan:443");
  });

  it("is idempotent on its own output", () => {
    for (const [input] of table) {
      const once = parseOllamaHost(input).url;
      expect(parseOllamaHost(once).url).toBe(once);
    }
  });
});

describe("credentials in the host", () => {
  it("user:password@host:port is a host with credentials, not an IPv6 address, and the URL never carries them", () => {
    const parsed = parseOllamaHost("http://user:s3cret@gpu.lan:8080");
    expect(parsed.url).toBe("http://gpu.lan:8080");
    expect(parsed.authorization).toBe(`Basic ${Buffer.from("user:s3cret").toString("base64")}`);
    expect(JSON.stringify(parsed.url)).not.toContain("s3cret");
    expect(parseOllamaHost("https://bob:p%40ss@gpu.lan/ollama").authorization).toBe(`Basic ${Buffer.from("bob:p@ss").toString("base64")}`);
    expect(parseOllamaHost("alice@gpu.lan").url).toBe("http://gpu.lan:11434");
  });

  it("a warning about the host hides the password", () => {
    const parsed = parseOllamaHost("http://user:s3cret@gpu.lan:notaport");
    expect(parsed.warning).toContain("***@gpu.lan");
    expect(parsed.warning).not.toContain("s3cret");
    expect(redactHostCredentials("http://user:s3cret@gpu.lan:8080")).toBe("http://***@gpu.lan:8080");
  });
});

describe("a host value specwright refuses (a config error, exit 2)", () => {
  it("accepts every form the ollama CLI accepts", () => {
    for (const [input] of table) if (input !== undefined && input.trim() !== "") expect([input, checkOllamaHost(input)]).toEqual([input, { ok: true }]);
  });

  it("refuses a value no URL can hold, a port out of range and a scheme other than http(s), and hides a password", () => {
    expect(checkOllamaHost("garbage value!!")).toMatchObject({ ok: false, message: "'garbage value!!' is not an Ollama host: 'http://garbage value!!:11434' is not a valid URL" });
    expect(checkOllamaHost("gpu.lan:99999")).toMatchObject({ ok: false, message: "'gpu.lan:99999' is not an Ollama host: the port '99999' is not a number from 0 to 65535" });
    expect(checkOllamaHost("ftp://gpu.lan")).toMatchObject({ ok: false, message: "'ftp://gpu.lan' is not an Ollama host: the scheme must be http:// or https://, not ftp://" });
    const secret = checkOllamaHost("http://user:s3cret@gpu.lan:notaport");
    expect(secret.ok).toBe(false);
    expect(JSON.stringify(secret)).not.toContain("s3cret");
  });
});
