// Replacing a node's approved set: what to approve and revoke, and the
// refusals that stop the whole request before anything runs.
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { halfExitPair, noSuchRoute, routeNotAdvertised } from "../../../src/domain/errors.js"
import { planApproval } from "../../../src/service/compat/approvalPlan.js"
import { route } from "../../support/builders.js"

const rows = [
  route(1, "n", "10.0.0.0/24"),
  route(2, "n", "10.1.0.0/24", { enabled: false, approvedBy: null }),
  route(3, "n", "0.0.0.0/0", { enabled: false, approvedBy: null }),
  route(4, "n", "::/0", { enabled: false, approvedBy: null }),
  route(5, "n", "10.2.0.0/24", { advertised: false, enabled: false, approvedBy: null }),
  route(6, "n", "10.3.0.0/24", { deletedAt: 5_000 }),
  route(7, "other", "10.4.0.0/24", { enabled: false, approvedBy: null }),
]

const plan = (requested: string[]) => planApproval("n", rows, requested)

describe("planApproval", () => {
  it.each([
    ["the same set: nothing to do", ["10.0.0.0/24"], [], [], ["10.0.0.0/24"]],
    [
      "an added prefix is approved, the missing one revoked",
      ["10.1.0.0/24"],
      ["10.1.0.0/24"],
      ["10.0.0.0/24"],
      ["10.1.0.0/24"],
    ],
    ["the empty set revokes everything", [], [], ["10.0.0.0/24"], []],
    [
      "either exit prefix approves both",
      ["::/0", "10.0.0.0/24"],
      ["0.0.0.0/0", "::/0"],
      [],
      ["0.0.0.0/0", "10.0.0.0/24", "::/0"],
    ],
    [
      "duplicates collapse",
      ["10.1.0.0/24", "10.1.0.0/24"],
      ["10.1.0.0/24"],
      ["10.0.0.0/24"],
      ["10.1.0.0/24"],
    ],
  ])("%s", (_why, requested, approve, revoke, approved) => {
    expect(plan(requested)).toEqual(Result.succeed({ approve, revoke, approved }))
  })

  it("refuses the whole request on the first bad element, naming it", () => {
    expect(Result.isFailure(plan(["10.0.0.1/24"]))).toBe(true)
    const bad = plan(["10.1.0.0/24", "10.0.0.1/24"])
    expect(Result.isFailure(bad) && bad.failure._tag).toBe("InvalidPrefixInput")
    expect(Result.isFailure(bad) && bad.failure.message).toBe(
      "10.0.0.1/24 has non-address bits set; expected 10.0.0.0/24",
    )
    expect(plan(["10.2.0.0/24"])).toEqual(Result.fail(routeNotAdvertised(5, "n", "10.2.0.0/24")))
    // a deleted row and another node's row are not this node's routes
    expect(plan(["10.3.0.0/24"])).toEqual(Result.fail(noSuchRoute("n", "10.3.0.0/24")))
    expect(plan(["10.4.0.0/24"])).toEqual(Result.fail(noSuchRoute("n", "10.4.0.0/24")))
  })

  it("refuses an exit prefix when the node does not advertise both halves", () => {
    const half = [route(1, "n", "0.0.0.0/0", { enabled: false, approvedBy: null })]
    expect(planApproval("n", half, ["0.0.0.0/0"])).toEqual(Result.fail(halfExitPair("n", "::/0")))
  })
})
