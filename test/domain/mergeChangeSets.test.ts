import { describe, expect, it } from "vitest"
import type { ChangeSet } from "../../src/domain/ChangeSet.js"
import { mergeChangeSets, mergedKeys } from "../../src/domain/mergeChangeSets.js"
import { offline } from "../../src/domain/Node.js"
import { parsePrefixUnsafe } from "../../src/domain/Prefix.js"
import type { Route } from "../../src/domain/Route.js"

const node = (id: string, sessions: number) => ({
  id,
  user: "alice@",
  tags: [],
  ephemeral: false,
  createdAt: 0,
  expiresAt: null,
  presence: { ...offline, sessions },
  deletedAt: null,
})
const route = (id: number, enabled: boolean): Route => ({
  id,
  nodeId: "n1",
  prefix: parsePrefixUnsafe("10.0.0.0/8"),
  advertised: true,
  enabled,
  isPrimary: false,
  approvedBy: enabled ? "manual" : null,
  priority: 0,
  healthy: true,
  createdAt: 0,
  updatedAt: 0,
  deletedAt: null,
})

/** A change set with every field non-empty. */
const full = (tag: string, n: number): ChangeSet => ({
  nodes: [{ before: node("n1", n), after: node("n1", n + 1) }],
  routes: [{ before: route(1, n % 2 === 0), after: route(1, n % 2 === 1) }],
  primaries: [{ prefix: "10.0.0.0/8", before: n, after: n + 1 }],
  affectedPrefixes: [`${tag}-prefix`],
  affectedNodes: [`${tag}-node`],
  rejected: [{ input: `${tag}-input`, reason: "bad" }],
  policy: { groups: { [`group:${tag}`]: [] } },
  nextRouteId: 10 + n,
})

describe("mergeChangeSets", () => {
  it("merges every field of ChangeSet (fails when a field is added but not merged)", () => {
    const a = full("a", 0)
    expect([...mergedKeys].sort()).toEqual(Object.keys(a).sort())
    const m = mergeChangeSets(a, full("b", 1))
    expect(Object.keys(m).sort()).toEqual(Object.keys(a).sort())
    expect(m).toEqual({
      nodes: [{ before: node("n1", 0), after: node("n1", 2) }],
      routes: [{ before: route(1, true), after: route(1, true) }],
      primaries: [{ prefix: "10.0.0.0/8", before: 0, after: 2 }],
      affectedPrefixes: ["a-prefix", "b-prefix"],
      affectedNodes: ["a-node", "b-node"],
      rejected: [
        { input: "a-input", reason: "bad" },
        { input: "b-input", reason: "bad" },
      ],
      policy: { groups: { "group:b": [] } },
      nextRouteId: 11,
    })
  })

  it("drops a primary change that the second set undoes", () => {
    const a = { ...full("a", 0), primaries: [{ prefix: "p", before: 1, after: 2 }] }
    const b = { ...full("b", 1), primaries: [{ prefix: "p", before: 2, after: 1 }] }
    expect(mergeChangeSets(a, b).primaries).toEqual([])
  })
})
