/**
 * The benchmark tailnets keep their stated shapes at every size: distinct
 * prefixes (the old generator's 262,144 /26s wrapped past 131k stress nodes,
 * turning HA pairs into groups of four with two primaries), HA pairs of 4
 * routes in the stress shape, groups of 1–3 routers sharing 1–8 prefixes in
 * the realistic one.
 */
import { describe, expect, it } from "vitest"
import { nthPrefix, syntheticTailnet } from "../../bench/syntheticTailnet.js"

/** Rows by prefix text, and the group each node belongs to. */
const shapeOf = (tn: ReturnType<typeof syntheticTailnet>) => {
  const byPrefix = new Map<string, Array<{ nodeId: string; isPrimary: boolean }>>()
  for (const r of tn.routes) {
    const g = byPrefix.get(r.prefix.text)
    if (g === undefined) byPrefix.set(r.prefix.text, [r])
    else g.push(r)
  }
  const groupOf = new Map<string, number>()
  tn.groups.forEach((g, k) => {
    for (const id of g) groupOf.set(id, k)
  })
  return { byPrefix, groupOf }
}

describe("nthPrefix", () => {
  it("gives distinct prefixes across the old wrap point and where the IPv4 /28s run out", () => {
    const windows = [
      [0, 20_000],
      [262_000, 263_000],
      [1_397_000, 1_400_000],
      [2 ** 32 - 1_000, 2 ** 32],
    ] as const
    const texts = windows.flatMap(([lo, hi]) =>
      Array.from({ length: hi - lo }, (_, k) => nthPrefix(lo + k).text),
    )
    expect(new Set(texts).size).toBe(texts.length)
    expect(texts.slice(0, 4)).toEqual(["10.0.0.0/28", "10.0.0.16/28", "10.0.0.32/28", "2001:db8:0:3::/64"])
    // Past the last /28 every prefix is a /64, numbered by i.
    expect(nthPrefix(1_400_000).text).toBe("2001:db8:15:5cc0::/64")
  })
})

describe("syntheticTailnet", () => {
  it("stress shape past the old wrap point (140k nodes, 280k prefixes): HA pairs of 4 distinct prefixes, one primary each", () => {
    const tn = syntheticTailnet(140_001, "stress")
    expect(tn.routes.length).toBe(4 * 140_001)
    const { byPrefix, groupOf } = shapeOf(tn)
    expect(byPrefix.size).toBe(4 * 70_001)
    expect(tn.groups.slice(0, -1).every((g) => g.length === 2)).toBe(true)
    // An odd node count leaves the last node a lone router.
    expect(tn.groups.at(-1)!.length).toBe(1)
    for (const rows of byPrefix.values()) {
      const group = tn.groups[groupOf.get(rows[0]!.nodeId)!]!
      expect(rows.map((r) => r.nodeId)).toEqual(group)
      expect(rows.filter((r) => r.isPrimary).length).toBe(1)
    }
  })

  it("realistic shape: groups of 1–3 routers, each sharing 1–8 prefixes no other group has", () => {
    const tn = syntheticTailnet(20_000, "realistic")
    const { byPrefix, groupOf } = shapeOf(tn)
    expect(tn.groups.every((g) => g.length >= 1 && g.length <= 3)).toBe(true)
    const prefixesOfGroup = new Map<number, number>()
    for (const [text, rows] of byPrefix) {
      if (text === "0.0.0.0/0" || text === "::/0") continue
      const k = groupOf.get(rows[0]!.nodeId)!
      expect(rows.map((r) => r.nodeId)).toEqual(tn.groups[k])
      expect(rows.filter((r) => r.isPrimary).length).toBe(1)
      prefixesOfGroup.set(k, (prefixesOfGroup.get(k) ?? 0) + 1)
    }
    expect(prefixesOfGroup.size).toBe(tn.groups.length)
    expect([...prefixesOfGroup.values()].every((n) => n >= 1 && n <= 8)).toBe(true)
  })
})
