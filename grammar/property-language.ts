// The property language of a spec's Properties section (DESIGN.md §4.4): one
// property per line, `a -> b` (whenever a holds, b holds), `a <-> b`,
// `a => b` (when event a happens, b must happen), `a -> fail` / `a => fail`
// (must never hold / happen), or a lone `a` (always holds). Operands are
// paths (`Order.customer.can_buy_alcohol?`), membership (`u1 in u2.friends`),
// comparisons, `and`/`or`/`not`, constructors (`new Subscription(user =
// Source.owner)`), literals and parentheses. A chevrotain lexer and parser
// turn a line into a small AST, rendered back canonically for prompts.

import type { IToken, TokenType } from "chevrotain";
import { CstParser, Lexer, createToken } from "./chevrotain.js";

export type PropertyExpr =
  | { kind: "path"; segments: string[] }
  | { kind: "literal"; text: string }
  | { kind: "new"; type: string; args: { name: string; value: PropertyExpr }[] }
  | { kind: "not"; operand: PropertyExpr }
  | { kind: "binary"; op: "and" | "or" | "in" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "="; left: PropertyExpr; right: PropertyExpr }
  | { kind: "group"; inner: PropertyExpr };

export type PropertyAst =
  | { kind: "invariant"; expr: PropertyExpr }
  | { kind: "rule"; arrow: "->" | "<->" | "=>"; left: PropertyExpr; right: PropertyExpr | "fail" };

export type PropertyParse = { ok: true; ast: PropertyAst } | { ok: false; column: number; message: string };

const Whitespace = createToken({ name: "Whitespace", pattern: /[ \t]+/, group: Lexer.SKIPPED });
const Iff = createToken({ name: "Iff", pattern: /<->|↔/ });
const Implies = createToken({ name: "Implies", pattern: /->|→/ });
const Triggers = createToken({ name: "Triggers", pattern: /=>|⇒/ });
const Le = createToken({ name: "Le", pattern: /<=|≤/ });
const Ge = createToken({ name: "Ge", pattern: />=|≥/ });
const Eq = createToken({ name: "Eq", pattern: /==/ });
const Ne = createToken({ name: "Ne", pattern: /!=|≠/ });
const Lt = createToken({ name: "Lt", pattern: /</ });
const Gt = createToken({ name: "Gt", pattern: />/ });
const Assign = createToken({ name: "Assign", pattern: /=/ });
const LParen = createToken({ name: "LParen", pattern: /\(/ });
const RParen = createToken({ name: "RParen", pattern: /\)/ });
const Comma = createToken({ name: "Comma", pattern: /,/ });
const Dot = createToken({ name: "Dot", pattern: /\./ });
const StringLit = createToken({ name: "StringLit", pattern: /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/ });
const NumberLit = createToken({ name: "NumberLit", pattern: /-?\d+(?:\.\d+)?/ });
const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_]*[?!]?/ });
const keyword = (name: string, word: string) => createToken({ name, pattern: new RegExp(`${word}(?![A-Za-z0-9_?!])`), longer_alt: Identifier });
const And = keyword("And", "and");
const Or = keyword("Or", "or");
const Not = keyword("Not", "not");
const In = keyword("In", "in");
const New = keyword("New", "new");
const Fail = keyword("Fail", "fail");
const Bool = keyword("Bool", "(?:true|false|null)");

const TOKENS: TokenType[] = [Whitespace, Iff, Implies, Triggers, Le, Ge, Eq, Ne, Lt, Gt, Assign, LParen, RParen, Comma, Dot, StringLit, NumberLit, And, Or, Not, In, New, Fail, Bool, Identifier];
// Built on first use: most specs have no Properties section, and building the
// parser (chevrotain's grammar analysis) costs ~100 ms of every cold start.
let lexer: InstanceType<typeof Lexer> | undefined;

class PropertyParser extends CstParser {
  constructor() {
    super(TOKENS, { recoveryEnabled: false });
    this.performSelfAnalysis();
  }
  property = this.RULE("property", () => {
    this.SUBRULE(this.expression, { LABEL: "left" });
    this.OPTION(() => {
      this.OR([{ ALT: () => this.CONSUME(Iff) }, { ALT: () => this.CONSUME(Implies) }, { ALT: () => this.CONSUME(Triggers) }]);
      this.OR2([{ ALT: () => this.CONSUME(Fail) }, { ALT: () => this.SUBRULE2(this.expression, { LABEL: "right" }) }]);
    });
  });
  expression = this.RULE("expression", () => {
    this.SUBRULE(this.conjunction, { LABEL: "operands" });
    this.MANY(() => {
      this.CONSUME(Or);
      this.SUBRULE2(this.conjunction, { LABEL: "operands" });
    });
  });
  conjunction = this.RULE("conjunction", () => {
    this.SUBRULE(this.negation, { LABEL: "operands" });
    this.MANY(() => {
      this.CONSUME(And);
      this.SUBRULE2(this.negation, { LABEL: "operands" });
    });
  });
  negation = this.RULE("negation", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Not);
          this.SUBRULE(this.negation);
        },
      },
      { ALT: () => this.SUBRULE(this.comparison) },
    ]);
  });
  comparison = this.RULE("comparison", () => {
    this.SUBRULE(this.operand, { LABEL: "left" });
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(In, { LABEL: "op" }) },
        { ALT: () => this.CONSUME(Eq, { LABEL: "op" }) },
        { ALT: () => this.CONSUME(Ne, { LABEL: "op" }) },
        { ALT: () => this.CONSUME(Le, { LABEL: "op" }) },
        { ALT: () => this.CONSUME(Ge, { LABEL: "op" }) },
        { ALT: () => this.CONSUME(Lt, { LABEL: "op" }) },
        { ALT: () => this.CONSUME(Gt, { LABEL: "op" }) },
        { ALT: () => this.CONSUME(Assign, { LABEL: "op" }) },
      ]);
      this.SUBRULE2(this.operand, { LABEL: "right" });
    });
  });
  operand = this.RULE("operand", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.construction) },
      { ALT: () => this.SUBRULE(this.path) },
      { ALT: () => this.CONSUME(StringLit) },
      { ALT: () => this.CONSUME(NumberLit) },
      { ALT: () => this.CONSUME(Bool) },
      {
        ALT: () => {
          this.CONSUME(LParen);
          this.SUBRULE(this.expression);
          this.CONSUME(RParen);
        },
      },
    ]);
  });
  construction = this.RULE("construction", () => {
    this.CONSUME(New);
    this.CONSUME(Identifier, { LABEL: "type" });
    this.CONSUME(LParen);
    this.MANY_SEP({
      SEP: Comma,
      DEF: () => {
        this.CONSUME2(Identifier, { LABEL: "names" });
        this.CONSUME(Assign);
        this.SUBRULE(this.operand, { LABEL: "values" });
      },
    });
    this.CONSUME(RParen);
  });
  path = this.RULE("path", () => {
    this.CONSUME(Identifier, { LABEL: "segments" });
    this.MANY(() => {
      this.CONSUME(Dot);
      this.CONSUME2(Identifier, { LABEL: "segments" });
    });
  });
}

let parser: PropertyParser | undefined;

interface CstNodeLike {
  name: string;
  children: Record<string, (CstNodeLike | IToken)[]>;
}

function isToken(x: CstNodeLike | IToken): x is IToken {
  return (x as IToken).image !== undefined;
}

function nodes(node: CstNodeLike, key: string): CstNodeLike[] {
  return (node.children[key] ?? []).filter((x): x is CstNodeLike => !isToken(x));
}

function tokens(node: CstNodeLike, key: string): IToken[] {
  return (node.children[key] ?? []).filter(isToken);
}

function toExpr(node: CstNodeLike): PropertyExpr {
  switch (node.name) {
    case "expression":
    case "conjunction": {
      const op = node.name === "expression" ? "or" : "and";
      const parts = nodes(node, "operands").map(toExpr);
      return parts.slice(1).reduce<PropertyExpr>((left, right) => ({ kind: "binary", op, left, right }), parts[0]!);
    }
    case "negation": {
      const inner = nodes(node, "negation")[0];
      return inner ? { kind: "not", operand: toExpr(inner) } : toExpr(nodes(node, "comparison")[0]!);
    }
    case "comparison": {
      const left = toExpr(nodes(node, "left")[0]!);
      const op = tokens(node, "op")[0];
      if (!op) return left;
      const symbol = ({ In: "in", Eq: "==", Ne: "!=", Le: "<=", Ge: ">=", Lt: "<", Gt: ">", Assign: "=" } as const)[op.tokenType.name as "In"];
      return { kind: "binary", op: symbol, left, right: toExpr(nodes(node, "right")[0]!) };
    }
    case "operand": {
      const sub = nodes(node, "construction")[0] ?? nodes(node, "path")[0];
      if (sub) return toExpr(sub);
      const expr = nodes(node, "expression")[0];
      if (expr) return { kind: "group", inner: toExpr(expr) };
      const lit = [...tokens(node, "StringLit"), ...tokens(node, "NumberLit"), ...tokens(node, "Bool")][0]!;
      return { kind: "literal", text: lit.image };
    }
    case "construction": {
      const names = tokens(node, "names").map((t) => t.image);
      const values = nodes(node, "values").map(toExpr);
      return { kind: "new", type: tokens(node, "type")[0]!.image, args: names.map((name, i) => ({ name, value: values[i]! })) };
    }
    case "path":
      return { kind: "path", segments: tokens(node, "segments").map((t) => t.image) };
    default:
      throw new Error(`unexpected property CST node ${node.name}`);
  }
}

/** Parses one property line; `column` in an error is 1-based within `text`. */
export function parseProperty(text: string): PropertyParse {
  lexer ??= new Lexer(TOKENS, { positionTracking: "onlyOffset", ensureOptimizations: false });
  parser ??= new PropertyParser();
  const lexed = lexer.tokenize(text);
  if (lexed.errors.length > 0) {
    const e = lexed.errors[0]!;
    return { ok: false, column: e.offset + 1, message: `unexpected character ${JSON.stringify(text[e.offset])}` };
  }
  parser.input = lexed.tokens;
  const cst = parser.property() as unknown as CstNodeLike;
  if (parser.errors.length > 0) {
    const e = parser.errors[0]!;
    const offset = Number.isFinite(e.token.startOffset) ? e.token.startOffset : text.length;
    const found = e.token.tokenType.name === "EOF" ? "the end of the line" : `"${e.token.image}"`;
    return { ok: false, column: offset + 1, message: `unexpected ${found} in a property` };
  }
  const left = toExpr(nodes(cst, "left")[0]!);
  const arrowToken = [...tokens(cst, "Iff"), ...tokens(cst, "Implies"), ...tokens(cst, "Triggers")][0];
  if (!arrowToken) return { ok: true, ast: { kind: "invariant", expr: left } };
  const arrow = ({ Iff: "<->", Implies: "->", Triggers: "=>" } as const)[arrowToken.tokenType.name as "Iff"];
  const right = tokens(cst, "Fail").length > 0 ? "fail" : toExpr(nodes(cst, "right")[0]!);
  return { ok: true, ast: { kind: "rule", arrow, left, right } };
}

export function renderPropertyExpr(e: PropertyExpr): string {
  switch (e.kind) {
    case "path":
      return e.segments.join(".");
    case "literal":
      return e.text;
    case "new":
      return `new ${e.type}(${e.args.map((a) => `${a.name} = ${renderPropertyExpr(a.value)}`).join(", ")})`;
    case "not":
      return `not ${renderPropertyExpr(e.operand)}`;
    case "group":
      return `(${renderPropertyExpr(e.inner)})`;
    case "binary":
      return `${renderPropertyExpr(e.left)} ${e.op} ${renderPropertyExpr(e.right)}`;
  }
}

/** The canonical text of a property: single spaces, ASCII arrows. */
export function renderProperty(p: PropertyAst): string {
  if (p.kind === "invariant") return renderPropertyExpr(p.expr);
  return `${renderPropertyExpr(p.left)} ${p.arrow} ${p.right === "fail" ? "fail" : renderPropertyExpr(p.right)}`;
}

/** The names a property uses: the first segment of every path and every constructed type. */
export function propertyNames(p: PropertyAst): string[] {
  const out = new Set<string>();
  const walk = (e: PropertyExpr): void => {
    switch (e.kind) {
      case "path":
        out.add(e.segments[0]!);
        return;
      case "literal":
        return;
      case "new":
        out.add(e.type);
        for (const a of e.args) walk(a.value);
        return;
      case "not":
        return walk(e.operand);
      case "group":
        return walk(e.inner);
      case "binary":
        walk(e.left);
        walk(e.right);
        return;
    }
  };
  if (p.kind === "invariant") walk(p.expr);
  else {
    walk(p.left);
    if (p.right !== "fail") walk(p.right);
  }
  return [...out];
}
