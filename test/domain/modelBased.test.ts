/** Random command sequences against the reference model: same outcomes, same state, every invariant, each step. */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { makeOptions, type Options } from "../../src/domain/Options.js"
import { type Cmd, commandsArbitrary, execModel, PERMISSIVE } from "../support/commands.js"
import { DomainSystem } from "../support/domainSystem.js"
import { containsText } from "../support/referenceApproves.js"
import { ReferenceModel } from "../support/referenceModel.js"
import { containsRef, relatedPrefixes } from "./prefixArbitraries.js"

const configs: ReadonlyArray<[string, Options]> = [
  ["defaults", makeOptions()],
  ["retain + clear", makeOptions({ onWithdraw: "retain", whenNoneEligible: "clear" })],
  ["no grace", makeOptions({ gracePeriodMs: 0 })],
  ["preemption after 10 s", makeOptions({ preemption: true, preemptDelayMs: 10_000 })],
  ["preemption at once", makeOptions({ preemption: true, preemptDelayMs: 0, gracePeriodMs: 5_000 })],
]

describe("the core agrees with the reference model", () => {
  for (const [name, options] of configs) {
    it(`after every command (${name})`, () => {
      fc.assert(
        fc.property(commandsArbitrary(options, 60), (cmds) => {
          const model = new ReferenceModel(options)
          const real = new DomainSystem(options, 1_000)
          const clock = { now: 1_000 }
          // Four nodes exist from the start; n5 only through a register command.
          for (const [id, user, tags] of [
            ["n1", "alice@", []],
            ["n2", "bob@", []],
            ["n3", "carol@", ["tag:router"]],
            ["n4", "alice@", ["tag:exit"]],
          ] as const) {
            model.upsertNode({ id, user, tags: [...tags] }, clock.now)
            real.exec({ kind: "register", id, user, tags: [...tags], ephemeral: id === "n4" })
            if (id === "n4") model.upsertNode({ id, user, tags: [...tags], ephemeral: true }, clock.now)
          }
          // A permissive policy and connected routers, so most advertisements elect a primary.
          const start: Cmd[] = [
            { kind: "policy", policy: PERMISSIVE },
            { kind: "connect", nodeId: "n1" },
            { kind: "connect", nodeId: "n2" },
            { kind: "connect", nodeId: "n3" },
          ]
          for (const c of start) {
            execModel(model, clock, c)
            real.exec(c)
          }
          fc.modelRun(() => ({ model: { model, clock }, real }), cmds)
        }),
        { numRuns: 300 },
      )
    })
  }
})

describe("the reference model's own prefix containment", () => {
  it("agrees with the BigInt reference on prefixes that share leading bits", () => {
    fc.assert(
      fc.property(relatedPrefixes(8), (ps) => {
        for (const a of ps)
          for (const b of ps)
            expect([a.text, b.text, containsText(a.text, b.text)]).toEqual([
              a.text,
              b.text,
              containsRef(a, b),
            ])
      }),
      { numRuns: 300 },
    )
  })

  it("reads IPv4-mapped text and tells the families apart", () => {
    expect(containsText("::ffff:10.0.0.0/104", "::ffff:10.1.0.0/112")).toBe(true)
    expect(containsText("::ffff:10.0.0.0/104", "::ffff:11.0.0.0/104")).toBe(false)
    expect(containsText("0.0.0.0/0", "::/0")).toBe(false)
    expect(containsText("::/0", "10.0.0.0/8")).toBe(false)
  })
})
