import { describe, expect, it } from "vitest"
import type { ChangeSet } from "../../src/domain/ChangeSet.js"
import { mergeChangeSets, mergedKeys } from "../../src/domain/mergeChangeSets.js"
import { offline } from "../../src/domain/Node.js"
import type { Route } from "../../src/domain/Route.js"
import { node, route } from "../support/builders.js"

const n1 = (sessions: number) => node("n1", { createdAt: 0, presence: { ...offline, sessions } })
const r1 = (enabled: boolean): Route =>
  route(1, "n1", "10.0.0.0/8", { enabled, approvedBy: enabled ? "manual" : null, createdAt: 0, updatedAt: 0 })

/** A change set with every field non-empty. */
const full = (tag: string, n: number): ChangeSet => ({
  nodes: [{ before: n1(n), after: n1(n + 1) }],
  routes: [{ before: r1(n % 2 === 0), after: r1(n % 2 === 1) }],
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
      nodes: [{ before: n1(0), after: n1(2) }],
      routes: [{ before: r1(true), after: r1(true) }],
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
