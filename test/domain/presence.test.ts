/** Sessions per replica: who holds what, and when a node goes offline. */
import { describe, expect, it } from "vitest"
import { offline } from "../../src/domain/Node.js"
import { closeSession, dropEndedHolders, openSession } from "../../src/domain/presence.js"

describe("openSession / closeSession", () => {
  it("the first session brings the node online; each replica counts its own", () => {
    const a = openSession(offline, "A", 10)
    expect(a).toEqual({
      sessions: 1,
      replicas: { A: 1 },
      connectedAt: 10,
      lastSeen: 10,
      disconnectedAt: null,
    })
    const ab = openSession(openSession(a, "B", 20), "A", 30)
    expect(ab).toEqual({
      sessions: 3,
      replicas: { A: 2, B: 1 },
      connectedAt: 10,
      lastSeen: 30,
      disconnectedAt: null,
    })
  })

  it("a replica closes only sessions it holds; the last one of all starts the grace window", () => {
    const ab = openSession(openSession(offline, "A", 10), "B", 20)
    expect(closeSession(ab, "C", 30)).toBeNull()
    const b = closeSession(ab, "A", 30)!
    expect(b).toEqual({
      sessions: 1,
      replicas: { B: 1 },
      connectedAt: 10,
      lastSeen: 30,
      disconnectedAt: null,
    })
    expect(closeSession(b, "B", 40)).toEqual({
      sessions: 0,
      replicas: {},
      connectedAt: null,
      lastSeen: 40,
      disconnectedAt: 40,
    })
    expect(closeSession(offline, "", 50)).toBeNull()
  })
})

describe("dropEndedHolders", () => {
  const abc = openSession(openSession(openSession(offline, "A", 10), "B", 20), "C", 30)

  it("keeps the sessions of holders that stand, and the node online while any does", () => {
    expect(dropEndedHolders(abc, () => null)).toBeNull()
    expect(dropEndedHolders(abc, (r) => (r === "B" ? 99 : null))).toEqual({
      sessions: 2,
      replicas: { A: 1, C: 1 },
      connectedAt: 10,
      lastSeen: 30,
      disconnectedAt: null,
    })
  })

  it("a node whose every holder ended went offline when the last of them ended", () => {
    const ends: Record<string, number> = { A: 50, B: 70, C: 60 }
    expect(dropEndedHolders(abc, (r) => ends[r]!)).toEqual({
      sessions: 0,
      replicas: {},
      connectedAt: null,
      lastSeen: 30,
      disconnectedAt: 70,
    })
  })
})
