import { Result } from "effect"
import { type Either, left, right } from "fp-ts/lib/Either.js"
import { describe, expect, it } from "vitest"
import { PolicyError } from "../../src/domain/autoApprovers.js"
import type { ChangeSet } from "../../src/domain/ChangeSet.js"
import {
  InvalidPriority,
  NotEphemeral,
  nodeDeleted,
  unknownNode,
  unknownRoute,
} from "../../src/domain/errors.js"
import { defaultOptions } from "../../src/domain/Options.js"
import { PrefixParseError, parsePrefixUnsafe } from "../../src/domain/Prefix.js"
import type { Route } from "../../src/domain/Route.js"
import { RouteIndex } from "../../src/domain/RouteIndex.js"
import { advertise } from "../../src/domain/transitions/advertise.js"
import {
  connectNode,
  deleteNode,
  disconnectNode,
  expireNode,
  setTags,
} from "../../src/domain/transitions/nodeCommands.js"
import {
  approveRoutes,
  deleteRoutes,
  disableRoutes,
  enableRoutes,
  markRouteHealth,
  revokeRoutes,
  setRoutePriority,
} from "../../src/domain/transitions/routeCommands.js"
import { AddressParseError, ViaError } from "../../src/domain/via.js"
import { fromResult } from "../../src/fp-ts/fromResult.js"
import {
  advertiseE,
  approveRoutesE,
  connectNodeE,
  deleteNodeE,
  deleteRoutesE,
  disableRoutesE,
  disconnectNodeE,
  enableRoutesE,
  expireNodeE,
  logoutEphemeralE,
  mapViaE,
  markRouteHealthE,
  normalisePrefixE,
  parsePolicyTextE,
  parsePrefixE,
  revokeRoutesE,
  setRoutePriorityE,
  setTagsE,
  unmapViaE,
  unmapViaPrefixE,
  upsertNodeE,
  validatePolicyE,
  validateViaPrefixE,
} from "../../src/fp-ts/index.js"
import { node, online, route } from "../support/builders.js"

const p = parsePrefixUnsafe

describe("fromResult", () => {
  it("maps Success to Right and Failure to Left, values untouched", () => {
    const value = { a: 1 }
    expect(fromResult(Result.succeed(value))).toStrictEqual({ _tag: "Right", right: value })
    expect(fromResult(Result.fail("no"))).toStrictEqual({ _tag: "Left", left: "no" })
  })
})

describe("prefix wrappers", () => {
  it("parsePrefixE", () => {
    expect(parsePrefixE("2001:DB8::/32")).toStrictEqual(right(p("2001:db8::/32")))
    expect(parsePrefixE("10.0.0.1/24")).toStrictEqual(
      left(
        new PrefixParseError({
          input: "10.0.0.1/24",
          reason: "HostBitsSet",
          message: "10.0.0.1/24 has non-address bits set; expected 10.0.0.0/24",
        }),
      ),
    )
  })

  it("normalisePrefixE", () => {
    expect(normalisePrefixE("10.0.0.1/24")).toStrictEqual(right({ prefix: p("10.0.0.0/24"), masked: true }))
    expect(normalisePrefixE("10.0.0.0/24")).toStrictEqual(right({ prefix: p("10.0.0.0/24"), masked: false }))
    expect(normalisePrefixE("10.0.0.0")).toStrictEqual(
      left(
        new PrefixParseError({
          input: "10.0.0.0",
          reason: "MissingLength",
          message: '"10.0.0.0" is not a valid prefix: missing "/<length>"',
        }),
      ),
    )
  })
})

describe("4via6 wrappers", () => {
  const via = p("fd7a:115c:a1e0:b1a:0:7:a01:100/120")

  it("mapViaE", () => {
    expect(mapViaE(7, p("10.1.1.0/24"))).toStrictEqual(right(via))
    expect(mapViaE(70000, p("10.1.1.0/24"))).toStrictEqual(
      left(
        new ViaError({
          input: "70000",
          reason: "SiteOutOfRange",
          message: "site ID 70000 is out of range; must be an integer from 0 to 0xffff",
        }),
      ),
    )
  })

  it("unmapViaE", () => {
    expect(unmapViaE("fd7a:115c:a1e0:b1a:0:7:a01:105")).toStrictEqual(right({ site: 7, ipv4: "10.1.1.5" }))
    expect(unmapViaE("10.1.1.5")).toStrictEqual(right("10.1.1.5"))
    expect(unmapViaE("10.1.1.5/32")).toStrictEqual(
      left(
        new AddressParseError({
          input: "10.1.1.5/32",
          reason: "HasLength",
          message:
            '"10.1.1.5/32" is not a valid IP address: it has a prefix length (unmapViaPrefix takes prefixes)',
        }),
      ),
    )
  })

  it("unmapViaPrefixE", () => {
    expect(unmapViaPrefixE(via)).toStrictEqual(right({ site: 7, prefix: p("10.1.1.0/24") }))
    expect(unmapViaPrefixE(p("10.0.0.0/8"))).toStrictEqual(
      left(
        new ViaError({ input: "10.0.0.0/8", reason: "NotVia", message: "10.0.0.0/8 is not a 4-in-6 prefix" }),
      ),
    )
  })

  it("validateViaPrefixE", () => {
    expect(validateViaPrefixE(via)).toStrictEqual(right(via))
    expect(validateViaPrefixE(p("fd7a:115c:a1e0:b1a::/80"))).toStrictEqual(
      left(
        new ViaError({
          input: "fd7a:115c:a1e0:b1a::/80",
          reason: "TooShort",
          message: "fd7a:115c:a1e0:b1a::/80 4-in-6 prefix must be at least a /96",
        }),
      ),
    )
  })
})

describe("policy wrappers", () => {
  it("validatePolicyE", () => {
    expect(validatePolicyE({ autoApprovers: { exitNode: ["alice@"] }, acls: [] })).toStrictEqual(
      right({ autoApprovers: { exitNode: ["alice@"] } }),
    )
    expect(validatePolicyE({ autoApprovers: { routes: { "10.0.0.1/24": ["alice@"] } } })).toStrictEqual(
      left(
        new PolicyError({
          path: 'autoApprovers.routes["10.0.0.1/24"]',
          input: "10.0.0.1/24",
          reason: "10.0.0.1/24 has non-address bits set; expected 10.0.0.0/24",
        }),
      ),
    )
  })

  it("parsePolicyTextE", () => {
    expect(parsePolicyTextE('{ "autoApprovers": { "exitNode": ["alice@"], }, // HuJSON\n }')).toStrictEqual(
      right({ autoApprovers: { exitNode: ["alice@"] } }),
    )
    expect(parsePolicyTextE('{ "autoApprovers": ')).toStrictEqual(
      left(
        new PolicyError({
          path: "",
          input: '{ "autoApprovers": ',
          reason: "line 1, column 20: unexpected end of input; expected a value",
        }),
      ),
    )
  })
})

// A small tailnet: alice's n1 online, advertising 10.0.0.0/24 (route 1, not approved); n2 deleted.
const route1: Route = route(1, "n1", "10.0.0.0/24", {
  enabled: false,
  approvedBy: null,
  createdAt: 0,
  updatedAt: 0,
})
const view = (): RouteIndex =>
  RouteIndex.from({
    nodes: [node("n1", { createdAt: 0, presence: online(0) }), node("n2", { createdAt: 0, deletedAt: 5 })],
    routes: [route1],
    policy: {},
    nextRouteId: 2,
  })
const o = defaultOptions
const now = 100

describe("transition wrappers: whole values", () => {
  it("upsertNodeE registers a node, offline, created now", () => {
    expect(upsertNodeE(view(), { id: "n3", user: "bob@", tags: ["tag:b", "tag:a"] }, now, o)).toStrictEqual(
      right({
        nodes: [
          {
            before: null,
            after: node("n3", { user: "bob@", tags: ["tag:a", "tag:b"], createdAt: now }),
          },
        ],
        routes: [],
        primaries: [],
        affectedPrefixes: [],
        affectedNodes: [],
        rejected: [],
        policy: null,
        nextRouteId: 2,
      }),
    )
    expect(upsertNodeE(view(), { id: "n2", user: "alice@" }, now, o)).toStrictEqual(left(nodeDeleted("n2")))
  })

  it("advertiseE adds a row for a new prefix and reports a bad element", () => {
    expect(
      advertiseE(view(), { nodeId: "n1", routes: ["10.0.0.0/24", "10.1.0.0/16", "bogus"] }, now, o),
    ).toStrictEqual(
      right({
        nodes: [],
        routes: [
          {
            before: null,
            after: { ...route1, id: 2, prefix: p("10.1.0.0/16"), createdAt: now, updatedAt: now },
          },
        ],
        primaries: [],
        affectedPrefixes: ["10.1.0.0/16"],
        affectedNodes: [],
        rejected: [{ input: "bogus", reason: '"bogus" is not a valid prefix: missing "/<length>"' }],
        policy: null,
        nextRouteId: 3,
      }),
    )
    expect(advertiseE(view(), { nodeId: "nx", routes: [] }, now, o)).toStrictEqual(left(unknownNode("nx")))
  })

  it("Left values of the route and node commands", () => {
    expect(enableRoutesE(view(), { routeIds: [99] }, now, o)).toStrictEqual(left(unknownRoute(99)))
    expect(setRoutePriorityE(view(), { routeIds: [1] }, 1.5, now, o)).toStrictEqual(
      left(new InvalidPriority({ priority: 1.5, message: "priority 1.5 is not an integer" })),
    )
    expect(logoutEphemeralE(view(), { nodeId: "n1" }, now, o)).toStrictEqual(
      left(new NotEphemeral({ nodeId: "n1", message: "node n1 is not ephemeral" })),
    )
    expect(deleteNodeE(view(), { nodeId: "n2" }, now, o)).toStrictEqual(left(nodeDeleted("n2")))
  })

  it("setRoutePriorityE and markRouteHealthE pass their extra argument through", () => {
    const prio = setRoutePriorityE(view(), { routeIds: [1] }, 5, now, o)
    expect(prio._tag === "Right" && prio.right.routes.map((c) => c.after)).toStrictEqual([
      { ...route1, priority: 5, updatedAt: now },
    ])
    const health = markRouteHealthE(view(), { nodeId: "n1", prefixes: ["10.0.0.0/24"] }, false, now, o)
    expect(health._tag === "Right" && health.right.routes.map((c) => c.after)).toStrictEqual([
      { ...route1, healthy: false, updatedAt: now },
    ])
  })
})

describe("transition wrappers agree with the Result functions", () => {
  // Each row: the wrapper and its Result twin on the same arguments, and which side it lands on.
  const t1 = { routeIds: [1] }
  const rows: ReadonlyArray<{
    readonly name: string
    readonly e: () => Either<unknown, ChangeSet>
    readonly r: () => Result.Result<ChangeSet, unknown>
    readonly tag: "Right" | "Left"
  }> = [
    {
      name: "advertiseE",
      e: () => advertiseE(view(), { nodeId: "n1", routes: [] }, now, o),
      r: () => advertise(view(), { nodeId: "n1", routes: [] }, now, o),
      tag: "Right",
    },
    {
      name: "setTagsE",
      e: () => setTagsE(view(), { nodeId: "n1", tags: ["tag:x"] }, now, o),
      r: () => setTags(view(), { nodeId: "n1", tags: ["tag:x"] }, now, o),
      tag: "Right",
    },
    {
      name: "connectNodeE",
      e: () => connectNodeE(view(), { nodeId: "n1" }, now, o),
      r: () => connectNode(view(), { nodeId: "n1" }, now, o),
      tag: "Right",
    },
    {
      name: "disconnectNodeE",
      e: () => disconnectNodeE(view(), { nodeId: "n1" }, now, o),
      r: () => disconnectNode(view(), { nodeId: "n1" }, now, o),
      tag: "Right",
    },
    {
      name: "expireNodeE",
      e: () => expireNodeE(view(), { nodeId: "n1", at: 50 }, now, o),
      r: () => expireNode(view(), { nodeId: "n1", at: 50 }, now, o),
      tag: "Right",
    },
    {
      name: "deleteNodeE",
      e: () => deleteNodeE(view(), { nodeId: "n1" }, now, o),
      r: () => deleteNode(view(), { nodeId: "n1" }, now, o),
      tag: "Right",
    },
    {
      name: "enableRoutesE",
      e: () => enableRoutesE(view(), t1, now, o),
      r: () => enableRoutes(view(), t1, now, o),
      tag: "Right",
    },
    {
      name: "approveRoutesE",
      e: () => approveRoutesE(view(), t1, now, o),
      r: () => approveRoutes(view(), t1, now, o),
      tag: "Right",
    },
    {
      name: "disableRoutesE",
      e: () => disableRoutesE(view(), t1, now, o),
      r: () => disableRoutes(view(), t1, now, o),
      tag: "Right",
    },
    {
      name: "revokeRoutesE",
      e: () => revokeRoutesE(view(), t1, now, o),
      r: () => revokeRoutes(view(), t1, now, o),
      tag: "Right",
    },
    {
      name: "deleteRoutesE",
      e: () => deleteRoutesE(view(), t1, now, o),
      r: () => deleteRoutes(view(), t1, now, o),
      tag: "Right",
    },
    {
      name: "setRoutePriorityE",
      e: () => setRoutePriorityE(view(), t1, 3, now, o),
      r: () => setRoutePriority(view(), t1, 3, now, o),
      tag: "Right",
    },
    {
      name: "markRouteHealthE",
      e: () => markRouteHealthE(view(), t1, false, now, o),
      r: () => markRouteHealth(view(), t1, false, now, o),
      tag: "Right",
    },
    {
      name: "disableRoutesE (unknown node)",
      e: () => disableRoutesE(view(), { nodeId: "nx", prefixes: [] }, now, o),
      r: () => disableRoutes(view(), { nodeId: "nx", prefixes: [] }, now, o),
      tag: "Left",
    },
  ]
  // The expectation is built here from the Result's own fields with fp-ts's constructors, not
  // through fromResult, so a bridge that swapped sides or rewrapped a value would fail.
  it.each(rows)("$name", ({ e, r, tag }) => {
    const result = r()
    const expected = Result.isSuccess(result) ? right(result.success) : left(result.failure)
    expect(expected._tag).toBe(tag)
    expect(e()).toStrictEqual(expected)
  })

  it("disableRoutesE on an unknown node is exactly Left(UnknownNode nx)", () => {
    expect(disableRoutesE(view(), { nodeId: "nx", prefixes: [] }, now, o)).toStrictEqual(
      left(unknownNode("nx")),
    )
  })
})
