import { describe, expect, it } from "vitest";
import { parseProperty, propertyNames, renderProperty } from "../../grammar/property-language.js";
import { validateSpecs } from "../../grammar/validate.js";

const canonical = (text: string) => {
  const r = parseProperty(text);
  if (!r.ok) throw new Error(`${text}: ${r.message} at ${r.column}`);
  return renderProperty(r.ast);
};

describe("the property language", () => {
  it.each([
    ["Order.paid  ->   Order.total>0", "Order.paid -> Order.total > 0"],
    ["u1 in u2.friends <-> u2 in u1.friends", "u1 in u2.friends <-> u2 in u1.friends"],
    ["Order.placed => new Invoice(order = Order, total=Order.total)", "Order.placed => new Invoice(order = Order, total = Order.total)"],
    ["Order.customer.can_buy_alcohol? → fail", "Order.customer.can_buy_alcohol? -> fail"],
    ["not (a and b) or c", "not (a and b) or c"],
    ["Account.balance >= 0", "Account.balance >= 0"],
    ["User.name != \"\" and User.age ≥ 18", 'User.name != "" and User.age >= 18'],
    ["Cart.items == null -> Cart.total = 0", "Cart.items == null -> Cart.total = 0"],
  ])("reads %s canonically", (text, expected) => {
    expect(canonical(text)).toBe(expected);
    // Canonical text is a fixed point.
    expect(canonical(expected)).toBe(expected);
  });

  it("distinguishes rules, events, equivalences, prohibitions and invariants", () => {
    const kinds = ["a -> b", "a => b", "a <-> b", "a -> fail", "a"].map((t) => {
      const r = parseProperty(t);
      return r.ok ? (r.ast.kind === "rule" ? `${r.ast.arrow}${r.ast.right === "fail" ? " fail" : ""}` : "always") : "error";
    });
    expect(kinds).toEqual(["->", "=>", "<->", "-> fail", "always"]);
  });

  it("binds and tighter than or, and not tighter than and", () => {
    const r = parseProperty("not a and b or c");
    expect(r.ok && r.ast.kind === "invariant" && r.ast.expr).toMatchObject({
      kind: "binary",
      op: "or",
      left: { kind: "binary", op: "and", left: { kind: "not" } },
      right: { kind: "path", segments: ["c"] },
    });
  });

  it("reports the column of a syntax error", () => {
    expect(parseProperty("a -> -> b")).toEqual({ ok: false, column: 6, message: 'unexpected "->" in a property' });
    expect(parseProperty("a and")).toMatchObject({ ok: false, message: "unexpected the end of the line in a property" });
    expect(parseProperty("a # b")).toEqual({ ok: false, column: 3, message: 'unexpected character "#"' });
  });

  it("lists the names a property speaks about", () => {
    const r = parseProperty("Order.placed => new Invoice(order = Order, total = Customer.limit)");
    expect(r.ok && propertyNames(r.ast).sort()).toEqual(["Customer", "Invoice", "Order"]);
  });
});

describe("Properties in a spec", () => {
  const spec = (properties: string) => `---
id: SHOP
---

# Shop

## Overview

Customers place an order; every order gets an invoice.

## Properties

${properties}

## Requirements

### Place an order

A customer places an order with a total.
`;

  it("reports a property that does not parse at its line and column", () => {
    const r = validateSpecs([{ file: "shop.smd", text: spec("Order.placed => new Invoice(order = Order)\n- Order.total >> 0") }]);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ severity: "error", line: 14, column: 16, message: 'P2: unexpected ">" in a property', code: "smd/property-syntax" }),
    ]);
  });

  it("warns about a name no spec mentions", () => {
    const r = validateSpecs([{ file: "shop.smd", text: spec("Order.placed => new Recipt(order = Order)") }]);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ severity: "warning", line: 13, column: 21, message: "P1 uses `Recipt`, which no spec mentions outside its Properties" }),
    ]);
  });
});
