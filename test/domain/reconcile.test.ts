import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { Node } from "../../src/domain/Node.js"
import { makeOptions } from "../../src/domain/Options.js"
import type { ApprovedBy, Route } from "../../src/domain/Route.js"
import { RouteIndex, type RouteState } from "../../src/domain/RouteIndex.js"
import { reconcile, startUp } from "../../src/domain/reconcile.js"
import { node, offlineSince, online, route } from "../support/builders.js"
import { checkInvariants } from "../support/invariants.js"

const NOW = 100_000
const options = makeOptions()

/** A node with `sessions` open sessions (connected at 10), else offline since 5 (last seen at 10). */
const withSessions = (id: string, sessions: number, deletedAt: number | null = null): Node =>
  node(id, {
    createdAt: 0,
    deletedAt,
    presence: sessions > 0 ? online(10, sessions) : { ...offlineSince(5), lastSeen: 10 },
  })

/** A row created (and last updated) at its id; approved by hand exactly when enabled, unless told. */
const row = (
  id: number,
  nodeId: string,
  prefix: string,
  f: Partial<Pick<Route, "advertised" | "enabled" | "isPrimary" | "approvedBy" | "priority">> = {},
): Route =>
  route(id, nodeId, prefix, {
    advertised: f.advertised ?? true,
    enabled: f.enabled ?? true,
    isPrimary: f.isPrimary ?? false,
    approvedBy: f.approvedBy === undefined ? ((f.enabled ?? true) ? "manual" : null) : f.approvedBy,
    priority: f.priority ?? 0,
    createdAt: id,
    updatedAt: id,
  })

describe("reconcile", () => {
  it("repairs a store broken by an older tool, and a second run changes nothing", () => {
    const state: RouteState = {
      nodes: [withSessions("a", 1), withSessions("b", 1), withSessions("c", 1), withSessions("gone", 0, 50)],
      routes: [
        // duplicate live rows for (a, 10.1.0.0/16); the younger one is the primary
        row(1, "a", "10.1.0.0/16", { enabled: false, approvedBy: null }),
        row(2, "a", "10.1.0.0/16", { isPrimary: true }),
        // two primaries for 10.2.0.0/16
        row(3, "a", "10.2.0.0/16", { isPrimary: true }),
        row(4, "b", "10.2.0.0/16", { isPrimary: true }),
        // primary on a withdrawn row (enabled but withdrawn) and one on a disabled row
        row(5, "a", "10.3.0.0/16", { advertised: false, isPrimary: true }),
        row(6, "b", "10.3.0.0/16"),
        row(7, "b", "10.4.0.0/16", { enabled: false, approvedBy: null, isPrimary: true }),
        row(8, "c", "10.4.0.0/16"),
        // an orphan on a deleted node
        row(9, "gone", "10.5.0.0/16", { isPrimary: true }),
        // a half-enabled exit pair flagged primary
        row(10, "c", "0.0.0.0/0", { isPrimary: true }),
        row(11, "c", "::/0", { enabled: false, approvedBy: null }),
      ],
      policy: {},
      nextRouteId: 12,
    }
    const index = RouteIndex.from(state)
    const { changeSet, repairs } = reconcile(index, NOW, options)
    expect(repairs.map((r) => [r.kind, r.routeIds])).toEqual([
      ["OrphanRow", [9]],
      ["DuplicateRow", [1, 2]],
      ["WithdrawnButEnabled", [5]],
      ["HalfExitPair", [10, 11]],
      ["ExtraPrimary", [3, 4]],
      ["PrimaryNotServable", [5]],
      ["PrimaryNotServable", [7]],
      ["ExitRoutePrimary", [10]],
    ])
    index.apply(changeSet)
    expect(checkInvariants(index, NOW, options)).toEqual([])
    const live = index.snapshot().routes.map((r) => [r.id, r.nodeId, r.prefix.text, r.enabled, r.isPrimary])
    expect(live).toEqual([
      [1, "a", "10.1.0.0/16", true, true],
      [3, "a", "10.2.0.0/16", true, true],
      [4, "b", "10.2.0.0/16", true, false],
      [5, "a", "10.3.0.0/16", false, false],
      [6, "b", "10.3.0.0/16", true, true],
      [7, "b", "10.4.0.0/16", false, false],
      [8, "c", "10.4.0.0/16", true, true],
      [10, "c", "0.0.0.0/0", true, false],
      [11, "c", "::/0", true, false],
    ])
    expect(changeSet.primaries).toEqual(
      [
        { prefix: "0.0.0.0/0", before: 10, after: null },
        { prefix: "10.1.0.0/16", before: 2, after: 1 },
        { prefix: "10.2.0.0/16", before: 3, after: 3 },
        { prefix: "10.3.0.0/16", before: 5, after: 6 },
        { prefix: "10.4.0.0/16", before: 7, after: 8 },
        { prefix: "10.5.0.0/16", before: 9, after: null },
      ].filter((p) => p.before !== p.after),
    )
    const again = reconcile(index, NOW, options)
    expect(again.repairs).toEqual([])
    expect(again.changeSet.routes).toEqual([])
  })

  it("startUp holds stored primaries for one grace window", () => {
    const index = RouteIndex.from({
      nodes: [withSessions("a", 2), withSessions("b", 1)],
      routes: [row(1, "a", "10.1.0.0/16", { isPrimary: true }), row(2, "b", "10.1.0.0/16")],
      policy: {},
      nextRouteId: 3,
    })
    const { changeSet } = startUp(index, NOW, options)
    index.apply(changeSet)
    expect(changeSet.routes).toEqual([])
    expect(index.node("a")!.presence).toEqual({
      sessions: 0,
      replicas: {},
      connectedAt: null,
      lastSeen: 10,
      disconnectedAt: NOW,
    })
    expect(index.routesOfPrefix("10.1.0.0/16").find((r) => r.isPrimary)?.id).toBe(1)
  })
})

const NODES = ["a", "b", "c", "gone", "unknown"]
const PREFIXES = ["10.0.0.0/8", "10.1.0.0/16", "0.0.0.0/0", "::/0", "fd00::/64"]

/** Any stored state, sound or not. */
const brokenState = fc
  .record({
    sessions: fc.array(fc.nat(2), { minLength: 3, maxLength: 3 }),
    rows: fc.array(
      fc.record({
        node: fc.constantFrom(...NODES),
        prefix: fc.constantFrom(...PREFIXES),
        advertised: fc.boolean(),
        enabled: fc.boolean(),
        isPrimary: fc.boolean(),
        approvedBy: fc.constantFrom<ApprovedBy | null>(null, "manual", "policy", "migration"),
        priority: fc.integer({ min: 0, max: 2 }),
        createdAt: fc.nat(5),
      }),
      { maxLength: 16 },
    ),
  })
  .map(
    ({ sessions, rows }): RouteState => ({
      nodes: [
        withSessions("a", sessions[0]!),
        withSessions("b", sessions[1]!),
        withSessions("c", sessions[2]!),
        withSessions("gone", 0, 50),
      ],
      routes: rows.map((r, i) => ({ ...row(i + 1, r.node, r.prefix, r), createdAt: r.createdAt })),
      policy: {},
      nextRouteId: rows.length + 1,
    }),
  )

describe("reconcile properties", () => {
  for (const o of [makeOptions(), makeOptions({ onWithdraw: "retain", whenNoneEligible: "clear" })]) {
    it(`takes any state to a sound one, idempotently (${o.onWithdraw}, ${o.whenNoneEligible})`, () => {
      fc.assert(
        fc.property(brokenState, (state) => {
          const index = RouteIndex.from(state)
          index.apply(reconcile(index, NOW, o).changeSet)
          expect(checkInvariants(index, NOW, o)).toEqual([])
          const again = reconcile(index, NOW, o)
          expect(again.changeSet.routes).toEqual([])
          expect(again.repairs).toEqual([])
        }),
        { numRuns: 500 },
      )
    })
  }

  it("gives the same state whatever order nodes and rows are stored in", () => {
    fc.assert(
      fc.property(
        brokenState.chain((s) =>
          fc.tuple(
            fc.constant(s),
            fc.shuffledSubarray([...s.nodes], { minLength: s.nodes.length }),
            fc.shuffledSubarray([...s.routes], { minLength: s.routes.length }),
          ),
        ),
        ([state, nodes, routes]) => {
          const a = RouteIndex.from(state)
          const b = RouteIndex.from({ ...state, nodes, routes })
          const ra = reconcile(a, NOW, options)
          const rb = reconcile(b, NOW, options)
          expect(rb).toEqual(ra)
          a.apply(ra.changeSet)
          b.apply(rb.changeSet)
          expect(b.snapshot()).toEqual(a.snapshot())
        },
      ),
      { numRuns: 300 },
    )
  })
})
