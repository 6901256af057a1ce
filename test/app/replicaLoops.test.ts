/** When a holder's sessions end, as a replica sees it: the rule behind start-up and the lease reaper. */
import { describe, expect, it } from "vitest"
import { holderEnd, startUpEnd } from "../../src/app/internal/replicaLoops.js"

const leases = [
  { replica: "self", expiresAt: 5_000 },
  { replica: "live", expiresAt: 2_000 },
  { replica: "lapsed", expiresAt: 900 },
]

describe("holderEnd", () => {
  // This replica started at 500 and looks at 1 000.
  const ended = holderEnd(leases, "self", 500, 1_000)

  it.each<[string, number | null, string]>([
    ["self", null, "its own sessions stand while it runs"],
    ["live", null, "a running lease's sessions stand"],
    ["lapsed", 900, "a lapsed lease's sessions ended when it lapsed"],
    [
      "",
      500,
      "a holder with no lease (the anonymous one) ended as far back as this replica can tell: its start",
    ],
    ["gone", 500, "a forgotten lease likewise"],
  ])("%s → %s (%s)", (replica, end) => {
    expect(ended(replica)).toBe(end)
  })

  it("never earlier than this replica's start: after a full outage the routers get one grace window", () => {
    expect(holderEnd(leases, "self", 1_500, 1_600)("lapsed")).toBe(1_500)
  })
})

describe("startUpEnd", () => {
  it("ends this replica's own earlier sessions now, and judges the others from now", () => {
    const ended = startUpEnd(leases, "self", 1_000)
    expect(["self", "live", "lapsed", ""].map(ended)).toEqual([1_000, null, 1_000, 1_000])
  })
})
