/**
 * Invariant 6 for one advertisement: the order of its elements never shows.
 * Shuffling one Hostinfo list, duplicates and invalid elements included, gives
 * the same change set (same new ids, withdrawals, rejections and elections).
 */

import { Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { ChangeSet } from "../../src/domain/ChangeSet.js"
import { advertise } from "../../src/domain/transitions/advertise.js"
import { JUNK, POLICIES, PREFIXES } from "../support/commands.js"
import { Scenario } from "../support/scenario.js"

/** Valid prefixes (exit pair and a 4via6 prefix among them), host bits to mask, and junk. */
const ELEMENTS = [
  ...PREFIXES,
  ...JUNK,
  "10.2.3.4/16",
  "192.168.1.7/24",
  "2001:db8::/32",
  "2001:db8::1/32",
  "",
  "10.0.0.0/33",
] as const

/** One node advertises `before` (and the pair n2 shares some prefixes), then `list` replaces it. */
const setting = fc.record({
  policy: fc.nat(POLICIES.length - 1),
  before: fc.uniqueArray(fc.constantFrom(...PREFIXES), { maxLength: 4 }),
  peer: fc.uniqueArray(fc.constantFrom(...PREFIXES), { maxLength: 3 }),
  list: fc.array(fc.constantFrom(...ELEMENTS), { maxLength: 14 }),
  retain: fc.boolean(),
})

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const changeSetFor = (
  s: { policy: number; before: string[]; peer: string[]; retain: boolean },
  list: ReadonlyArray<string>,
): ChangeSet => {
  const scenario = new Scenario({ onWithdraw: s.retain ? "retain" : "disable" }, POLICIES[s.policy]!)
  scenario.router("n2", s.peer, "bob@")
  scenario.now += 10
  scenario.router("n1", s.before, "alice@", ["tag:exit"])
  scenario.now += 10
  return Result.getOrThrow(
    advertise(scenario.index, { nodeId: "n1", routes: list }, scenario.now, scenario.options),
  )
}

describe("advertise", () => {
  it("gives the same change set whatever the order of the advertised elements", () => {
    fc.assert(
      fc.property(
        setting.chain((s) =>
          fc.tuple(
            fc.constant(s),
            fc.shuffledSubarray(s.list, { minLength: s.list.length, maxLength: s.list.length }),
          ),
        ),
        ([s, shuffled]) => {
          expect(changeSetFor(s, shuffled)).toEqual(changeSetFor(s, s.list))
        },
      ),
      { numRuns: 300 },
    )
  })

  it("gives the same rows when elements repeat; each repeated bad element is reported again", () => {
    fc.assert(
      fc.property(setting, fc.nat(), (s, seed) => {
        const again = s.list.slice(0, seed % (s.list.length + 1))
        const once = changeSetFor(s, s.list)
        const rejectedAgain = changeSetFor(s, again).rejected
        const rejected = [...once.rejected, ...rejectedAgain].sort(
          (a, b) => byText(a.input, b.input) || byText(a.reason, b.reason),
        )
        expect(changeSetFor(s, [...s.list, ...again])).toEqual({ ...once, rejected })
      }),
      { numRuns: 200 },
    )
  })
})
