import { describe, expect, it } from "vitest";
import { parseJsonReply, validateJson, type JsonSchema } from "../../models/json-schema.js";

const findings: JsonSchema = {
  type: "object",
  required: ["findings"],
  additionalProperties: false,
  properties: {
    findings: {
      type: "array",
      items: {
        type: "object",
        required: ["severity", "line"],
        properties: {
          severity: { type: "string", enum: ["error", "warning", "info"] },
          line: { type: "integer", minimum: 1 },
          issue: { type: "string", minLength: 1 },
        },
      },
    },
  },
};

describe("structured answers are validated against the schema subset", () => {
  it("accepts a valid answer", () => {
    expect(validateJson({ findings: [{ severity: "error", line: 3, issue: "x" }] }, findings)).toEqual([]);
  });

  it("names the path of every problem", () => {
    const problems = validateJson({ findings: [{ severity: "fatal", line: 0 }, { line: 2.5 }], extra: 1 }, findings);
    expect(problems).toEqual([
      '$.findings[0].severity: expected one of error, warning, info, got "fatal"',
      "$.findings[0].line: expected at least 1, got 0",
      '$.findings[1]: missing required property "severity"',
      "$.findings[1].line: expected integer, got number",
      '$: unexpected property "extra"',
    ]);
  });

  it("reports a wrong top-level type", () => {
    expect(validateJson([], findings)).toEqual(["$: expected object, got array"]);
  });

  it("parses a reply in a json fence but not prose around JSON", () => {
    expect(parseJsonReply('```json\n{"a": 1}\n```')).toEqual({ ok: true, value: { a: 1 } });
    const prose = parseJsonReply('Here you go: {"a": 1}');
    expect(prose.ok).toBe(false);
    expect(parseJsonReply("")).toEqual({ ok: false, problem: "the reply was empty; expected a JSON value" });
  });
});
