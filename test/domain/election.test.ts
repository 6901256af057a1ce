/**
 * `electPrimary` on its own (DESIGN §3), one row per rule: sticky, priority,
 * age, id, grace, keep-last or clear, preemption, and what is never elected.
 * The model-based tests reach the election only through whole commands; this
 * table pins each rule to a tailnet small enough to read.
 */
import { describe, expect, it } from "vitest"
import { electPrimary, preemptionDeadline } from "../../src/domain/election.js"
import type { Node } from "../../src/domain/Node.js"
import { makeOptions, type Options } from "../../src/domain/Options.js"
import type { Route, RouteId } from "../../src/domain/Route.js"
import { node, offlineSince, online, route } from "../support/builders.js"

const NOW = 100_000
const GRACE = 15_000
const SUBNET = "10.0.0.0/24"

/** Routers a (online since 1 000), b (online since 2 000), c (offline since 90 000: in grace at NOW). */
const nodes: ReadonlyArray<Node> = [
  node("a", { presence: online(1_000) }),
  node("b", { presence: online(2_000) }),
  node("c", { presence: offlineSince(90_000) }),
  node("gone", { presence: offlineSince(NOW - GRACE) }),
  node("never"),
  node("expired", { presence: online(1_000), expiresAt: NOW }),
  node("deleted", { presence: offlineSince(50_000), deletedAt: 50_000 }),
]
const view = { node: (id: string) => nodes.find((n) => n.id === id) }

/** A live, advertised, enabled row for SUBNET. */
const on = (id: RouteId, nodeId: string, over: Partial<Route> = {}): Route => route(id, nodeId, SUBNET, over)

interface Row {
  readonly why: string
  readonly candidates: ReadonlyArray<Route>
  readonly options?: Partial<Options>
  readonly now?: number
  readonly elected: RouteId | null
}

const rows: ReadonlyArray<Row> = [
  { why: "no candidates, no primary", candidates: [], elected: null },
  { why: "the only eligible route wins", candidates: [on(1, "a")], elected: 1 },
  {
    why: "sticky: an eligible primary keeps the role against a higher priority (preemption off)",
    candidates: [on(1, "a", { isPrimary: true }), on(2, "b", { priority: 9 })],
    elected: 1,
  },
  {
    why: "sticky: an eligible primary keeps the role against an older route",
    candidates: [on(1, "a", { createdAt: 50 }), on(2, "b", { isPrimary: true })],
    elected: 2,
  },
  {
    why: "without a primary, the highest priority wins",
    candidates: [on(1, "a"), on(2, "b", { priority: 3 }), on(3, "c", { priority: 2 })],
    elected: 2,
  },
  {
    why: "a negative priority loses to the default",
    candidates: [on(1, "a", { priority: -1 }), on(2, "b")],
    elected: 2,
  },
  {
    why: "equal priority: the oldest route wins",
    candidates: [on(1, "a", { createdAt: 500 }), on(2, "b", { createdAt: 400 })],
    elected: 2,
  },
  {
    why: "equal priority and age: the lowest id wins, whatever the candidates' order",
    candidates: [on(7, "b", { createdAt: 400 }), on(3, "a", { createdAt: 400 })],
    elected: 3,
  },
  {
    why: "a primary in its grace window stays primary",
    candidates: [on(1, "c", { isPrimary: true }), on(2, "a")],
    elected: 1,
  },
  {
    why: "a primary whose grace ended hands over (the window is half-open: ends exactly at disconnect + grace)",
    candidates: [on(1, "gone", { isPrimary: true }), on(2, "a")],
    elected: 2,
  },
  {
    why: "a grace of 0 hands over at once",
    candidates: [on(1, "c", { isPrimary: true }), on(2, "a")],
    options: { gracePeriodMs: 0 },
    elected: 2,
  },
  {
    why: "a node in grace may be newly elected when nothing online is eligible",
    candidates: [on(1, "c"), on(2, "never")],
    elected: 1,
  },
  {
    why: "disabled, withdrawn and unhealthy routes are not eligible",
    candidates: [
      on(1, "a", { enabled: false, approvedBy: null }),
      on(2, "a", { advertised: false }),
      on(3, "b", { healthy: false }),
      on(4, "b", { priority: -5 }),
    ],
    elected: 4,
  },
  {
    why: "a node that never connected, an expired node (at expiresAt exactly) and an unknown node are not eligible",
    candidates: [on(1, "never"), on(2, "expired"), on(3, "nobody"), on(4, "a", { createdAt: 9_999 })],
    elected: 4,
  },
  {
    why: "nothing eligible, keep-last: the last primary stays while live, advertised and enabled",
    candidates: [on(1, "gone", { isPrimary: true }), on(2, "never")],
    elected: 1,
  },
  {
    why: "nothing eligible, clear: no primary",
    candidates: [on(1, "gone", { isPrimary: true }), on(2, "never")],
    options: { whenNoneEligible: "clear" },
    elected: null,
  },
  {
    why: "keep-last never keeps a disabled primary",
    candidates: [on(1, "gone", { isPrimary: true, enabled: false, approvedBy: null })],
    elected: null,
  },
  {
    why: "keep-last never keeps a withdrawn primary",
    candidates: [on(1, "gone", { isPrimary: true, advertised: false })],
    elected: null,
  },
  {
    why: "keep-last never keeps a primary on a deleted node",
    candidates: [on(1, "deleted", { isPrimary: true })],
    elected: null,
  },
  {
    why: "keep-last keeps an unhealthy primary (clients keep the route) and an expired node's",
    candidates: [on(1, "expired", { isPrimary: true, healthy: false })],
    elected: 1,
  },
  {
    why: "keep-last: among two stale flags the better-ranked one is kept",
    candidates: [on(1, "gone", { isPrimary: true }), on(2, "never", { isPrimary: true, priority: 1 })],
    elected: 2,
  },
  {
    why: "a soft-deleted row is never elected nor kept, even flagged",
    candidates: [on(1, "a", { isPrimary: true, deletedAt: 90_000 })],
    elected: null,
  },
  {
    why: "exit routes are never elected",
    candidates: [route(1, "a", "0.0.0.0/0"), route(2, "b", "0.0.0.0/0", { isPrimary: true })],
    elected: null,
  },
  {
    why: "two eligible flags (a broken store): the better-ranked one stays",
    candidates: [on(1, "a", { isPrimary: true }), on(2, "b", { isPrimary: true, priority: 1 })],
    elected: 2,
  },
  {
    why: "preemption: a higher priority eligible for the whole delay takes over",
    // b connected at 2 000 and its row changed at 3 000: eligible since 3 000.
    candidates: [on(1, "a", { isPrimary: true }), on(2, "b", { priority: 1, updatedAt: 3_000 })],
    options: { preemption: true, preemptDelayMs: NOW - 3_000 },
    elected: 2,
  },
  {
    why: "preemption: one millisecond before the delay ends, the primary stays",
    candidates: [on(1, "a", { isPrimary: true }), on(2, "b", { priority: 1, updatedAt: 3_000 })],
    options: { preemption: true, preemptDelayMs: NOW - 3_000 + 1 },
    elected: 1,
  },
  {
    why: "preemption: equal priority never preempts",
    candidates: [on(1, "a", { isPrimary: true }), on(2, "b", { createdAt: 0 })],
    options: { preemption: true, preemptDelayMs: 0 },
    elected: 1,
  },
  {
    why: "preemption: an older route of equal priority never preempts, even while a higher one waits in grace",
    candidates: [on(1, "a", { isPrimary: true }), on(2, "b", { createdAt: 0 }), on(3, "c", { priority: 5 })],
    options: { preemption: true, preemptDelayMs: 0 },
    elected: 1,
  },
  {
    why: "preemption: a node in its grace window never preempts",
    candidates: [on(1, "a", { isPrimary: true }), on(2, "c", { priority: 5 })],
    options: { preemption: true, preemptDelayMs: 0 },
    elected: 1,
  },
  {
    why: "preemption: of two waiting challengers the higher priority wins",
    candidates: [
      on(1, "a", { isPrimary: true }),
      on(2, "b", { priority: 1 }),
      on(3, "b", { priority: 2, createdAt: 5_000 }),
    ],
    options: { preemption: true, preemptDelayMs: 0 },
    elected: 3,
  },
]

describe("electPrimary", () => {
  it.each(rows)("$why", ({ candidates, options, now, elected }) => {
    expect(
      electPrimary(candidates, view, now ?? NOW, makeOptions({ gracePeriodMs: GRACE, ...options })),
    ).toBe(elected)
  })

  it("does not depend on the order of its candidates", () => {
    for (const { why, candidates, options, now } of rows) {
      const o = makeOptions({ gracePeriodMs: GRACE, ...options })
      const forward = electPrimary(candidates, view, now ?? NOW, o)
      expect({ why, elected: electPrimary([...candidates].reverse(), view, now ?? NOW, o) }).toEqual({
        why,
        elected: forward,
      })
    }
  })
})

describe("preemptionDeadline", () => {
  const candidates = [on(1, "a", { isPrimary: true }), on(2, "b", { priority: 1, updatedAt: 3_000 })]

  it("is when the waiting challenger's delay ends, and null once it has or with preemption off", () => {
    const o = (preemptDelayMs: number, preemption = true) =>
      makeOptions({ gracePeriodMs: GRACE, preemption, preemptDelayMs })
    expect(preemptionDeadline(candidates, view, NOW, o(NOW))).toBe(3_000 + NOW)
    expect(preemptionDeadline(candidates, view, NOW, o(NOW - 3_000))).toBeNull()
    expect(preemptionDeadline(candidates, view, NOW, o(NOW, false))).toBeNull()
  })
})
