import { Result, Schema } from "effect"
import fc from "fast-check"
import { isRight } from "fp-ts/lib/Either.js"
import type * as t from "io-ts"
import { describe, expect, it } from "vitest"
import { parsePrefixUnsafe } from "../../src/domain/Prefix.js"
import {
  AdvertisementSchema,
  NodeInputSchema,
  NodeSchema,
  PolicySchema,
  PrefixSchema,
  RouteSchema,
} from "../../src/domain/schemas.js"
import { AdvertisementC, NodeC, NodeInputC, PolicyC, PrefixC, RouteC } from "../../src/fp-ts/codecs.js"
import { advertisementish, nodeInputish, nodeish, policyish, prefixish, routeish } from "./arbitraries.js"

// The pairs differ in their types; agreement is checked at runtime.
type AnySchema = Schema.Codec<any, any>

/**
 * Decodes `u` with both decoders: the accept/reject decision must agree, and
 * an accepted value must decode to the same value and encode back the same.
 */
const agreeOn = (schema: AnySchema, codec: t.Type<unknown, unknown, unknown>, u: unknown): boolean => {
  const s = Schema.decodeUnknownResult(schema)(u)
  const c = codec.decode(u)
  expect({ io: isRight(c), effect: Result.isSuccess(s) }).toStrictEqual({
    io: Result.isSuccess(s),
    effect: Result.isSuccess(s),
  })
  if (isRight(c) && Result.isSuccess(s)) {
    expect(c.right).toStrictEqual(s.success)
    expect(codec.is(c.right)).toBe(true)
    expect(codec.encode(c.right)).toStrictEqual(Schema.encodeSync(schema)(s.success))
    return true
  }
  return false
}

const pairs: ReadonlyArray<{
  readonly name: string
  readonly schema: AnySchema
  readonly codec: t.Type<unknown, unknown, unknown>
  readonly inputs: fc.Arbitrary<unknown>
}> = [
  {
    name: "PrefixC / PrefixSchema",
    schema: PrefixSchema,
    codec: PrefixC as t.Type<unknown>,
    inputs: prefixish,
  },
  {
    name: "PolicyC / PolicySchema",
    schema: PolicySchema,
    codec: PolicyC as t.Type<unknown>,
    inputs: policyish,
  },
  { name: "NodeC / NodeSchema", schema: NodeSchema, codec: NodeC as t.Type<unknown>, inputs: nodeish },
  {
    name: "NodeInputC / NodeInputSchema",
    schema: NodeInputSchema,
    codec: NodeInputC as t.Type<unknown>,
    inputs: nodeInputish,
  },
  { name: "RouteC / RouteSchema", schema: RouteSchema, codec: RouteC as t.Type<unknown>, inputs: routeish },
  {
    name: "AdvertisementC / AdvertisementSchema",
    schema: AdvertisementSchema,
    codec: AdvertisementC as t.Type<unknown>,
    inputs: advertisementish,
  },
]

describe("io-ts codecs accept exactly what the effect schemas accept", () => {
  for (const { name, schema, codec, inputs } of pairs) {
    it(name, () => {
      let accepted = 0
      let runs = 0
      fc.assert(
        fc.property(inputs, (u) => {
          runs++
          if (agreeOn(schema, codec, u)) accepted++
        }),
        { numRuns: 2000 },
      )
      // The generators must exercise both answers, or agreement proves little.
      expect(accepted / runs).toBeGreaterThan(0.15)
      expect(accepted / runs).toBeLessThan(0.85)
    })
  }
})

describe("agreement on the edges io-ts's own combinators get wrong", () => {
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
  const rows: ReadonlyArray<{
    why: string
    schema: AnySchema
    codec: t.Type<unknown>
    input: unknown
    ok: boolean
  }> = [
    {
      why: "unknown keys are dropped",
      schema: NodeSchema,
      codec: NodeC as t.Type<unknown>,
      input: { ...node, x: 1 },
      ok: true,
    },
    {
      why: "a Date carrying the fields is an object to Schema.Struct",
      schema: NodeSchema,
      codec: NodeC as t.Type<unknown>,
      input: Object.assign(new Date(0), node),
      ok: true,
    },
    {
      why: "an array is not a struct",
      schema: NodeSchema,
      codec: NodeC as t.Type<unknown>,
      input: Object.assign([], node),
      ok: false,
    },
    {
      why: "an optional key present with undefined is refused (exact optional)",
      schema: NodeInputSchema,
      codec: NodeInputC as t.Type<unknown>,
      input: { id: "n1", user: "alice@", tags: undefined },
      ok: false,
    },
    {
      why: "an optional key may be absent",
      schema: NodeInputSchema,
      codec: NodeInputC as t.Type<unknown>,
      input: { id: "n1", user: "alice@" },
      ok: true,
    },
    {
      why: "inherited fields are read, as effect reads them",
      schema: NodeInputSchema,
      codec: NodeInputC as t.Type<unknown>,
      input: Object.create({ id: "n1", user: "alice@", ephemeral: true }),
      ok: true,
    },
    {
      why: "2^53 is not a safe integer timestamp",
      schema: NodeSchema,
      codec: NodeC as t.Type<unknown>,
      input: { ...node, createdAt: 2 ** 53 },
      ok: false,
    },
    {
      why: "a tag needs a name",
      schema: NodeSchema,
      codec: NodeC as t.Type<unknown>,
      input: { ...node, tags: ["tag:"] },
      ok: false,
    },
    {
      why: "host bits in a route prefix are an error, not masked",
      schema: RouteSchema,
      codec: RouteC as t.Type<unknown>,
      input: {
        id: 1,
        nodeId: "n1",
        prefix: "10.0.0.1/24",
        advertised: true,
        enabled: false,
        isPrimary: false,
        approvedBy: null,
        priority: 0,
        healthy: true,
        createdAt: 0,
        updatedAt: 0,
        deletedAt: null,
      },
      ok: false,
    },
    {
      why: "an advertisement keeps a bad element (ingestion is lenient per element)",
      schema: AdvertisementSchema,
      codec: AdvertisementC as t.Type<unknown>,
      input: { nodeId: "n1", routes: ["10.0.0.1/24", "nonsense"] },
      ok: true,
    },
    {
      why: "approvedBy names a source, not an Object.prototype key",
      schema: RouteSchema,
      codec: RouteC as t.Type<unknown>,
      input: { approvedBy: "toString" },
      ok: false,
    },
  ]
  it.each(rows)("$why", ({ schema, codec, input, ok }) => {
    expect(agreeOn(schema, codec, input)).toBe(ok)
  })
})

/** A decode failure as plain data: the io-ts path (keys after the root) and the message. */
const failures = (codec: t.Type<unknown>, u: unknown) => {
  const r = codec.decode(u)
  return isRight(r)
    ? null
    : r.left.map((e) => ({
        path: e.context
          .slice(1)
          .map((c) => c.key)
          .join("."),
        message: e.message,
      }))
}

describe("codec values and errors", () => {
  it("PrefixC decodes to the canonical Prefix and encodes canonical text", () => {
    const r = PrefixC.decode("2001:DB8:0:0::/32")
    expect(r).toStrictEqual({ _tag: "Right", right: parsePrefixUnsafe("2001:db8::/32") })
    expect(PrefixC.encode(parsePrefixUnsafe("2001:db8::/32"))).toBe("2001:db8::/32")
  })

  it("PrefixC fails with parsePrefix's message", () => {
    expect(failures(PrefixC as t.Type<unknown>, "10.0.0.1/24")).toStrictEqual([
      { path: "", message: "10.0.0.1/24 has non-address bits set; expected 10.0.0.0/24" },
    ])
    expect(failures(PrefixC as t.Type<unknown>, 10)).toStrictEqual([
      { path: "", message: "expected prefix text" },
    ])
  })

  it("PolicyC fails with the PolicyError message naming the entry", () => {
    expect(
      failures(PolicyC as t.Type<unknown>, { autoApprovers: { routes: { "10.0.0.0/8": ["group:nope"] } } }),
    ).toStrictEqual([
      { path: "", message: 'autoApprovers.routes["10.0.0.0/8"][0]: group:nope is not defined in groups' },
    ])
  })

  it("RouteC reports every bad field with its path", () => {
    expect(
      failures(RouteC as t.Type<unknown>, {
        id: 0,
        nodeId: "n1",
        prefix: "10.0.0.0/33",
        advertised: true,
        enabled: true,
        isPrimary: false,
        approvedBy: "admin",
        priority: 0,
        healthy: true,
        createdAt: -1,
        updatedAt: 0,
        deletedAt: null,
      }),
    ).toStrictEqual([
      { path: "id", message: "0 is not a route id" },
      {
        path: "prefix",
        message: '"10.0.0.0/33" is not a valid prefix: prefix length 33 out of range for IPv4 (0-32)',
      },
      // io-ts reports a union once per member it tried.
      { path: "approvedBy.0", message: undefined },
      { path: "approvedBy.1", message: undefined },
      { path: "createdAt", message: "-1 is not epoch milliseconds (a non-negative safe integer)" },
    ])
  })
})
