// The JSON-schema subset specwright sends as `format` for structured answers,
// and a validator for it. Ollama constrains sampling with the schema, but small
// models still return wrong shapes (older servers ignore the schema; a reply cut
// short is not valid JSON), so every parsed answer is checked here.

export type JsonSchema =
  | { type: "object"; properties: Record<string, JsonSchema>; required?: string[]; additionalProperties?: boolean; description?: string }
  | { type: "array"; items: JsonSchema; minItems?: number; maxItems?: number; description?: string }
  | { type: "string"; enum?: string[]; minLength?: number; maxLength?: number; pattern?: string; description?: string }
  | { type: "integer" | "number"; minimum?: number; maximum?: number; description?: string }
  | { type: "boolean"; description?: string }
  | { type: "null"; description?: string };

/**
 * Checks `value` against `schema`. Returns the problems found, each naming the
 * JSON path ("$.findings[2].severity: expected one of error, warning, info"),
 * at most `limit` of them so a re-ask stays short. Empty means valid.
 */
export function validateJson(value: unknown, schema: JsonSchema, limit = 5): string[] {
  const problems: string[] = [];
  check(value, schema, "$", problems, limit);
  return problems;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function check(value: unknown, schema: JsonSchema, path: string, problems: string[], limit: number): void {
  if (problems.length >= limit) return;
  const wrongType = () => problems.push(`${path}: expected ${schema.type}, got ${typeName(value)}`);
  switch (schema.type) {
    case "object": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return void wrongType();
      const record = value as Record<string, unknown>;
      for (const key of schema.required ?? []) {
        if (!(key in record)) problems.push(`${path}: missing required property "${key}"`);
      }
      for (const [key, child] of Object.entries(record)) {
        const childSchema = schema.properties[key];
        if (childSchema) check(child, childSchema, `${path}.${key}`, problems, limit);
        else if (schema.additionalProperties === false) problems.push(`${path}: unexpected property "${key}"`);
      }
      return;
    }
    case "array": {
      if (!Array.isArray(value)) return void wrongType();
      if (schema.minItems !== undefined && value.length < schema.minItems)
        problems.push(`${path}: expected at least ${schema.minItems} items, got ${value.length}`);
      if (schema.maxItems !== undefined && value.length > schema.maxItems)
        problems.push(`${path}: expected at most ${schema.maxItems} items, got ${value.length}`);
      value.forEach((item, i) => check(item, schema.items, `${path}[${i}]`, problems, limit));
      return;
    }
    case "string": {
      if (typeof value !== "string") return void wrongType();
      if (schema.enum && !schema.enum.includes(value))
        problems.push(`${path}: expected one of ${schema.enum.join(", ")}, got ${JSON.stringify(value)}`);
      if (schema.minLength !== undefined && value.length < schema.minLength)
        problems.push(`${path}: expected at least ${schema.minLength} characters`);
      if (schema.maxLength !== undefined && value.length > schema.maxLength)
        problems.push(`${path}: expected at most ${schema.maxLength} characters`);
      if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value))
        problems.push(`${path}: ${JSON.stringify(value)} does not match /${schema.pattern}/`);
      return;
    }
    case "integer":
    case "number": {
      if (typeof value !== "number" || !Number.isFinite(value)) return void wrongType();
      if (schema.type === "integer" && !Number.isInteger(value)) return void wrongType();
      if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${path}: expected at least ${schema.minimum}, got ${value}`);
      if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${path}: expected at most ${schema.maximum}, got ${value}`);
      return;
    }
    case "boolean":
      if (typeof value !== "boolean") wrongType();
      return;
    case "null":
      if (value !== null) wrongType();
      return;
  }
}

/**
 * Parses a model's structured reply. Tolerates a fenced ```json block around
 * the object (models add one even under a schema) but nothing else.
 */
export function parseJsonReply(text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  let body = text.trim();
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/.exec(body);
  if (fenced) body = fenced[1]!.trim();
  if (body === "") return { ok: false, problem: "the reply was empty; expected a JSON value" };
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, problem: `the reply is not valid JSON (${reason})` };
  }
}
