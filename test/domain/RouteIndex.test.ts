/** RouteIndex: its timers (grace ends and expiries in order, fired ones dropped by `settle`) and its groups under `apply`. */
import { test } from "@fast-check/vitest"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { nodeStanding } from "../../src/domain/eligibility.js"
import { MinHeap } from "../../src/domain/internal/heap.js"
import { makeOptions } from "../../src/domain/Options.js"
import { isExitRoute, parsePrefixUnsafe } from "../../src/domain/Prefix.js"
import type { Route } from "../../src/domain/Route.js"
import { RouteIndex } from "../../src/domain/RouteIndex.js"
import { expireNode } from "../../src/domain/transitions/nodeCommands.js"
import { tick } from "../../src/domain/transitions/tick.js"
import { changeSet, create, node, route, update } from "../support/builders.js"
import { type Cmd, cmdArbitrary, NODE_IDS, PERMISSIVE, POLICIES, PREFIXES } from "../support/commands.js"
import { DomainSystem } from "../support/domainSystem.js"
import { Scenario } from "../support/scenario.js"

const GRACE = 15_000

/** Three approved routers of one prefix ("a" primary), then disconnected at +0, +5 s and +2 s. */
const staggered = () => {
  const s = new Scenario({ gracePeriodMs: GRACE }, POLICIES[PERMISSIVE])
  for (const id of ["a", "b", "c"]) s.router(id, ["10.0.0.0/24"])
  const t0 = s.now
  s.disconnect("a")
  s.now = t0 + 5_000
  s.disconnect("b")
  s.now = t0 + 2_000
  s.disconnect("c")
  return { s, t0 }
}

const byId = (rows: ReadonlyArray<Route>): Route[] => [...rows].sort((x, y) => x.id - y.id)

describe("RouteIndex timers", () => {
  it("reports grace ends in the order they fall, not the order the disconnects arrived", () => {
    const { s, t0 } = staggered()
    const o = s.options
    expect(s.index.nextNodeDeadline(t0, o)).toBe(t0 + GRACE)
    expect(s.index.dueNodes(t0 + GRACE - 1, o)).toEqual([])
    expect(s.index.dueNodes(t0 + GRACE, o)).toEqual(["a"])
    expect(s.index.nextNodeDeadline(t0 + GRACE, o)).toBe(t0 + 2_000 + GRACE)
    expect([...s.index.dueNodes(t0 + 5_000 + GRACE, o)].sort()).toEqual(["a", "b", "c"])
    expect(s.index.nextNodeDeadline(t0 + 5_000 + GRACE, o)).toBeNull()
  })

  it("orders by disconnect time for any grace period, and merges key expiries into the same deadline", () => {
    const { s, t0 } = staggered()
    const short = makeOptions({ gracePeriodMs: 1_000 })
    expect(s.index.nextNodeDeadline(t0, short)).toBe(t0 + 1_000)
    expect(s.index.nextNodeDeadline(t0 + 1_000, short)).toBe(t0 + 3_000)
    s.apply(expireNode(s.index, { nodeId: "c", at: t0 + 2_500 }, s.now, s.options))
    expect(s.index.nextNodeDeadline(t0 + 1_000, short)).toBe(t0 + 2_500)
    expect([...s.index.dueNodes(t0 + 2_500, short)].sort()).toEqual(["a", "c"])
  })

  it("ignores a timer whose node reconnected, and re-arms on the next disconnect", () => {
    const { s, t0 } = staggered()
    s.now = t0 + 6_000
    s.connect("a")
    expect(s.index.nextNodeDeadline(t0, s.options)).toBe(t0 + 2_000 + GRACE)
    expect(s.index.dueNodes(t0 + GRACE, s.options)).toEqual([])
    s.now = t0 + 7_000
    s.disconnect("a")
    expect(s.index.dueNodes(t0 + 7_000 + GRACE, s.options).includes("a")).toBe(true)
    expect(s.index.dueNodes(t0 + 7_000 + GRACE - 1, s.options).includes("a")).toBe(false)
  })

  it("lists each due node once: a grace superseded by a later disconnect no longer counts, an expiry joins", () => {
    const { s, t0 } = staggered()
    s.now = t0 + 6_000
    s.connect("a")
    s.now = t0 + 7_000
    s.disconnect("a")
    s.apply(expireNode(s.index, { nodeId: "b", at: t0 + 1_000 }, s.now, s.options))
    // "a"'s first grace would end at t0 + GRACE; only its second one counts.
    expect([...s.index.dueNodes(t0 + GRACE, s.options)].sort()).toEqual(["b"])
    const all = s.index.dueNodes(t0 + 7_000 + GRACE, s.options)
    expect([...all].sort()).toEqual(["a", "b", "c"])
    expect(new Set(all).size).toBe(all.length)
  })

  it("settle drops fired timers: a node is due until settled, then later ticks are empty", () => {
    const { s, t0 } = staggered()
    const at = t0 + 2_000 + GRACE
    s.now = at
    expect(s.primaryNode("10.0.0.0/24")).toBe("a")
    const cs = tick(s.index, at, s.options)
    expect(cs.primaries.map((p) => p.prefix)).toEqual(["10.0.0.0/24"])
    s.index.apply(cs)
    expect([...s.index.dueNodes(at, s.options)].sort()).toEqual(["a", "c"])
    s.index.settle(at, s.options)
    expect(s.index.dueNodes(at, s.options)).toEqual([])
    expect(s.index.nextNodeDeadline(at, s.options)).toBe(t0 + 5_000 + GRACE)
    const again = tick(s.index, at + 1, s.options)
    expect(again.routes).toEqual([])
    expect(again.primaries).toEqual([])
    // The unfired timer survives the settle.
    expect(s.index.dueNodes(t0 + 5_000 + GRACE, s.options)).toEqual(["b"])
  })
})

describe("MinHeap", () => {
  it("walks exactly the entries at or below the bound and finds the least key above it", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 40 }),
        fc.integer({ min: -1, max: 51 }),
        (keys, bound) => {
          const heap = new MinHeap()
          for (let i = 0; i < keys.length; i++) heap.push({ key: keys[i]!, id: `n${i}`, stale: false })
          const seen: number[] = []
          heap.walk(bound, (e) => seen.push(e.key))
          expect(seen.sort((a, b) => a - b)).toEqual(keys.filter((k) => k <= bound).sort((a, b) => a - b))
          const above = keys.filter((k) => k > bound)
          expect(heap.firstAbove(bound, () => true)).toBe(above.length === 0 ? null : Math.min(...above))
          const popped: number[] = []
          for (let e = heap.pop(); e !== undefined; e = heap.pop()) popped.push(e.key)
          expect(popped).toEqual([...keys].sort((a, b) => a - b))
        },
      ),
    )
  })
})

describe("RouteIndex.apply", () => {
  it("keeps the by-node and by-prefix groups and the timers equal to an index rebuilt from its snapshot", () => {
    const options = makeOptions({ preemption: true, preemptDelayMs: 5_000 })
    fc.assert(
      fc.property(fc.array(cmdArbitrary, { maxLength: 40 }), (cmds) => {
        const sys = new DomainSystem(options, 1_000)
        const start: Cmd[] = [
          ...NODE_IDS.slice(0, 4).map(
            (id): Cmd => ({ kind: "register", id, user: "alice@", tags: [], ephemeral: id === "n4" }),
          ),
          { kind: "policy", policy: PERMISSIVE },
          { kind: "connect", nodeId: "n1" },
          { kind: "connect", nodeId: "n2" },
        ]
        for (const cmd of [...start, ...cmds]) {
          sys.exec(cmd)
          const live = sys.index
          const rebuilt = RouteIndex.from(live.snapshot())
          expect(new Set(live.allPrefixes())).toEqual(new Set(rebuilt.allPrefixes()))
          for (const text of new Set([...PREFIXES, ...rebuilt.allPrefixes()])) {
            expect(byId(live.routesOfPrefix(text))).toEqual(byId(rebuilt.routesOfPrefix(text)))
          }
          for (const id of NODE_IDS) {
            expect(byId(live.routesOfNode(id))).toEqual(byId(rebuilt.routesOfNode(id)))
          }
          for (const r of rebuilt.allRoutes()) expect(live.route(r.id)).toEqual(r)
          expect(live.routeCount).toBe(rebuilt.routeCount)
          expect(new Set(live.preemptWatch())).toEqual(new Set(rebuilt.preemptWatch()))
          // A rebuilt index has not settled: it still lists timers the live one dropped after its last tick.
          const rebuiltDue = new Set(rebuilt.dueNodes(sys.now, options))
          for (const id of live.dueNodes(sys.now, options)) expect(rebuiltDue.has(id)).toBe(true)
          expect(live.nextNodeDeadline(sys.now, options)).toBe(rebuilt.nextNodeDeadline(sys.now, options))
          // Every live row's slot names its prefix and the prefix's rows; a row that left has none.
          const slots = live.slots
          for (const r of rebuilt.allRoutes()) {
            const slot = slots.prefixSlotOf(r.id)
            expect(slots.textAtSlot(slot)).toBe(r.prefix.text)
            expect(byId(slots.rowsAtSlot(slot))).toEqual(byId(rebuilt.routesOfPrefix(r.prefix.text)))
            expect(slots.isExitSlot(slot)).toBe(isExitRoute(r.prefix))
          }
          for (let id = 1; id < live.nextRouteId; id++)
            if (live.route(id) === undefined) expect(slots.prefixSlotOf(id)).toBe(-1)
          // The standings kept in typed arrays are the node records' standings, around every boundary.
          for (const at of [sys.now, sys.now + options.gracePeriodMs - 1, sys.now + options.gracePeriodMs]) {
            for (const r of rebuilt.allRoutes()) {
              const expected = nodeStanding(live.node(r.nodeId), at, options)
              expect(live.slots.standingOf(r, at, options)).toBe(expected)
              expect(rebuilt.slots.standingOf(r, at, options)).toBe(expected)
            }
          }
        }
      }),
      { numRuns: 150 },
    )
  })

  it("builds its preemption watch on first use to what it would have kept all along", () => {
    // Preemption off: no tick reads the watch, so it is first built after every command.
    const options = makeOptions({ preemption: false })
    fc.assert(
      fc.property(fc.array(cmdArbitrary, { maxLength: 40 }), (cmds) => {
        const sys = new DomainSystem(options, 1_000)
        const start: Cmd[] = [
          ...NODE_IDS.slice(0, 4).map(
            (id): Cmd => ({ kind: "register", id, user: "alice@", tags: [], ephemeral: false }),
          ),
          { kind: "policy", policy: PERMISSIVE },
          { kind: "connect", nodeId: "n1" },
          { kind: "connect", nodeId: "n2" },
          // A prefix watched from the start: n2 outranks the sticky primary n1.
          { kind: "advertise", nodeId: "n1", routes: ["10.0.0.0/8"] },
          { kind: "advertise", nodeId: "n2", routes: ["10.0.0.0/8"] },
          { kind: "priority", target: { nodeId: "n2", prefixes: ["10.0.0.0/8"] }, priority: 5 },
        ]
        const kept = new DomainSystem(options, 1_000)
        kept.index.preemptWatch()
        for (const cmd of [...start, ...cmds]) {
          sys.exec(cmd)
          kept.exec(cmd)
        }
        const late = new Set(sys.index.preemptWatch())
        expect(late).toEqual(new Set(kept.index.preemptWatch()))
        expect(late).toEqual(new Set(RouteIndex.from(sys.index.snapshot()).preemptWatch()))
      }),
      { numRuns: 100 },
    )
  })
})

describe("RouteIndex prefix slots", () => {
  // Rows come and go over a few prefixes (the exit pair among them), so slots are
  // freed and taken again many times; each step is checked against a rebuilt index.
  const pool = ["10.0.0.0/24", "0.0.0.0/0", "::/0", "fd00::/64", "10.1.0.0/16", "192.168.0.0/24"]
  const step = fc.oneof(
    fc.record({ add: fc.constantFrom(...pool), node: fc.constantFrom("a", "b", "c") }),
    fc.record({ remove: fc.nat() }),
  )
  test.prop([fc.array(step, { maxLength: 60 })], { numRuns: 300 })(
    "a live row's slot names its prefix and rows, slots are never shared, and the exit flag follows the text",
    (steps) => {
      const nodes = ["a", "b", "c"].map((id) => node(id))
      const index = RouteIndex.from({ nodes, routes: [], policy: {}, nextRouteId: 1 })
      let next = 1
      for (const st of steps) {
        const live = [...index.allRoutes()].sort((x, y) => x.id - y.id)
        if ("add" in st) {
          index.apply(changeSet(next + 1, { routes: [create(route(next, st.node, st.add))] }))
          next++
        } else if (live.length > 0) {
          const r = live[st.remove % live.length]!
          index.apply(changeSet(next, { routes: [update(r, { deletedAt: 5 })] }))
        }
        const rebuilt = RouteIndex.from(index.snapshot())
        const seen = new Map<number, string>()
        for (const r of rebuilt.allRoutes()) {
          const slot = index.slots.prefixSlotOf(r.id)
          expect(seen.get(slot) ?? r.prefix.text).toBe(r.prefix.text)
          seen.set(slot, r.prefix.text)
          expect(index.slots.textAtSlot(slot)).toBe(r.prefix.text)
          expect(byId(index.slots.rowsAtSlot(slot))).toEqual(byId(rebuilt.routesOfPrefix(r.prefix.text)))
          expect(index.slots.isExitSlot(slot)).toBe(isExitRoute(r.prefix))
        }
        for (const text of pool)
          expect(byId(index.routesOfPrefix(text))).toEqual(byId(rebuilt.routesOfPrefix(text)))
      }
    },
  )
})

describe("RouteIndex.from", () => {
  it("groups the live rows in input order however a node's rows are split, sharing one Prefix per text", () => {
    const row = (id: number, nodeId: string, text: string, deletedAt: number | null = null): Route => ({
      id,
      nodeId,
      prefix: parsePrefixUnsafe(text),
      advertised: true,
      enabled: true,
      isPrimary: false,
      approvedBy: "manual",
      priority: 0,
      healthy: true,
      createdAt: 1,
      updatedAt: 1,
      deletedAt,
    })
    // Node a's rows come in two runs, with a deleted row in each; 20 nodes share one prefix (past a small group).
    const routes = [
      row(1, "a", "10.0.0.0/24"),
      row(2, "a", "10.0.1.0/24", 5),
      row(3, "b", "10.0.0.0/24"),
      row(4, "a", "10.0.2.0/24"),
      row(5, "a", "10.0.0.0/24", 5),
      ...Array.from({ length: 20 }, (_, k) => row(6 + k, `n${k}`, "10.9.0.0/16")),
    ]
    const s = new Scenario()
    for (const id of ["a", "b", ...Array.from({ length: 20 }, (_, k) => `n${k}`)]) s.node(id)
    const nodes = Array.from(s.index.allNodes())
    const index = RouteIndex.from({ nodes, routes, policy: {}, nextRouteId: 26 })
    const ids = (rows: ReadonlyArray<Route>) => rows.map((r) => r.id)
    expect(ids(index.routesOfNode("a"))).toEqual([1, 4])
    expect(ids(index.routesOfNode("b"))).toEqual([3])
    expect(ids(index.routesOfPrefix("10.0.0.0/24"))).toEqual([1, 3])
    expect(index.routesOfPrefix("10.0.1.0/24")).toEqual([])
    expect(ids(index.routesOfPrefix("10.9.0.0/16"))).toEqual(Array.from({ length: 20 }, (_, k) => 6 + k))
    expect(index.routeCount).toBe(23)
    expect(index.route(2)).toBeUndefined()
    const [p, q] = index.routesOfPrefix("10.0.0.0/24")
    expect(p!.prefix).toBe(q!.prefix)
    expect(index.routesOfNode("b")[0]).toBe(q)
    expect(index.route(3)).toBe(q)
  })
})
