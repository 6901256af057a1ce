import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { offline } from "../../src/domain/Node.js"
import { parsePrefixUnsafe } from "../../src/domain/Prefix.js"
import {
  AdvertisementSchema,
  NodeInputSchema,
  NodeSchema,
  PrefixSchema,
  RouteSchema,
  tagPattern,
} from "../../src/domain/schemas.js"

const node = {
  id: "n1",
  user: "alice@",
  tags: ["tag:a"],
  ephemeral: false,
  createdAt: 1,
  expiresAt: null,
  presence: { sessions: 0, replicas: {}, connectedAt: null, lastSeen: null, disconnectedAt: null },
  deletedAt: null,
}
const route = {
  id: 1,
  nodeId: "n1",
  prefix: "10.0.0.0/8",
  advertised: true,
  enabled: true,
  isPrimary: true,
  approvedBy: "policy" as const,
  priority: 0,
  healthy: true,
  createdAt: 0,
  updatedAt: 0,
  deletedAt: null,
}

// Rows mix schemas; each row is checked at runtime.
const decode = (schema: Schema.Codec<any, any>, u: unknown) => {
  const r = Schema.decodeUnknownResult(schema)(u)
  return Result.isSuccess(r) ? { ok: r.success } : { error: r.failure.message }
}

describe("accepts", () => {
  it("a node record, dropping unknown keys", () => {
    expect(decode(NodeSchema, { ...node, hostname: "x" })).toStrictEqual({
      ok: { ...node, presence: offline },
    })
  })

  it("a node input with only the required keys, and with all of them", () => {
    expect(decode(NodeInputSchema, { id: "n1", user: "alice@" })).toStrictEqual({
      ok: { id: "n1", user: "alice@" },
    })
    const full = { id: "n1", user: "alice@", tags: [], ephemeral: true, expiresAt: null }
    expect(decode(NodeInputSchema, full)).toStrictEqual({ ok: full })
  })

  it("a route, its prefix decoded to a Prefix and encoded back to canonical text", () => {
    const decoded = { ...route, prefix: parsePrefixUnsafe("10.0.0.0/8") }
    expect(decode(RouteSchema, route)).toStrictEqual({ ok: decoded })
    expect(Schema.encodeSync(RouteSchema)(decoded)).toStrictEqual(route)
  })

  it("an advertisement whose elements are not prefixes (ingestion is lenient per element)", () => {
    const ad = { nodeId: "n1", routes: ["10.0.0.1/24", "nonsense", ""] }
    expect(decode(AdvertisementSchema, ad)).toStrictEqual({ ok: ad })
  })

  it("prefix text in any valid spelling, decoded canonical", () => {
    expect(decode(PrefixSchema, "2001:DB8:0::/32")).toStrictEqual({ ok: parsePrefixUnsafe("2001:db8::/32") })
  })
})

describe("rejects, naming the field", () => {
  const rows = [
    {
      why: "empty node id",
      schema: NodeSchema,
      input: { ...node, id: "" },
      error: 'Expected a value with a length of at least 1\n  at ["id"]',
    },
    {
      why: "a tag without tag:",
      schema: NodeSchema,
      input: { ...node, tags: ["router"] },
      error: 'Expected a string matching the RegExp ^tag:\\S+$\n  at ["tags"][0]',
    },
    {
      why: "fractional epoch ms",
      schema: NodeSchema,
      input: { ...node, createdAt: 1.5 },
      error: 'Expected an integer\n  at ["createdAt"]',
    },
    {
      why: "negative expiry",
      schema: NodeSchema,
      input: { ...node, expiresAt: -1 },
      error: 'Expected a value greater than or equal to 0\n  at ["expiresAt"]',
    },
    {
      why: "negative session count",
      schema: NodeSchema,
      input: { ...node, presence: { ...node.presence, sessions: -1 } },
      error: 'Expected a value greater than or equal to 0\n  at ["presence"]["sessions"]',
    },
    {
      why: "an optional key present as undefined (exact optional)",
      schema: NodeInputSchema,
      input: { id: "n1", user: "a@", ephemeral: undefined },
      error: 'Expected boolean\n  at ["ephemeral"]',
    },
    {
      why: "route prefix with host bits (strict, not masked)",
      schema: RouteSchema,
      input: { ...route, prefix: "10.0.0.1/8" },
      error: '10.0.0.1/8 has non-address bits set; expected 10.0.0.0/8\n  at ["prefix"]',
    },
    {
      why: "route id 0 (ids start at 1)",
      schema: RouteSchema,
      input: { ...route, id: 0 },
      error: 'Expected a value greater than 0\n  at ["id"]',
    },
    {
      why: "unknown approval source",
      schema: RouteSchema,
      input: { ...route, approvedBy: "admin" },
      error: 'Expected "manual" | "policy" | "migration"\n  at ["approvedBy"]',
    },
    {
      why: "fractional priority",
      schema: RouteSchema,
      input: { ...route, priority: 0.5 },
      error: 'Expected an integer\n  at ["priority"]',
    },
    {
      why: "a non-string advertisement element",
      schema: AdvertisementSchema,
      input: { nodeId: "n1", routes: [1] },
      error: 'Expected string\n  at ["routes"][0]',
    },
    {
      why: "an advertisement without routes",
      schema: AdvertisementSchema,
      input: { nodeId: "n1" },
      error: 'Missing key\n  at ["routes"]',
    },
  ]
  it.each(rows)("$why", ({ schema, input, error }) => {
    expect(decode(schema, input)).toStrictEqual({ error })
  })
})

describe("tagPattern", () => {
  it("is tag: and a name without whitespace", () => {
    const inputs = ["tag:a", "tag:router-1", "tag:", "tag: a", "tag:a b", "TAG:a", "a", "tag:a\n"]
    expect(inputs.filter((s) => tagPattern.test(s))).toStrictEqual(["tag:a", "tag:router-1"])
  })
})
