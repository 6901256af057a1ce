/** PrefixTable against a Map by text, and the index's lookups by text through it. */
import { test } from "@fast-check/vitest"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { hashOf, PrefixTable } from "../../src/domain/internal/PrefixTable.js"
import { type Prefix, parsePrefixUnsafe } from "../../src/domain/Prefix.js"
import { RouteIndex } from "../../src/domain/RouteIndex.js"
import { node, route } from "../support/builders.js"

/**
 * Prefixes whose numbers differ in one place only: the same words at another
 * length or family, a word with its top bit set (negative as an int32), the
 * exit routes, IPv6 words equal to IPv4 ones.
 */
const UNIVERSE = [
  "0.0.0.0/0",
  "::/0",
  "10.0.0.0/8",
  "10.0.0.0/16",
  "10.0.0.0/24",
  "10.0.1.0/24",
  "10.1.0.0/16",
  "128.0.0.0/1",
  "255.255.255.255/32",
  "255.255.255.254/32",
  "192.168.0.0/16",
  "172.16.0.0/12",
  "100.64.0.0/10",
  "a00::/8",
  "a00::/16",
  "::a00:0/104",
  "::a00:0/120",
  "0:a00::/24",
  "8000::/1",
  "ffff::/16",
  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/128",
  "2001:db8::/32",
  "2001:db8::/64",
  "2001:db8:0:1::/64",
  "2001:db8:1::/48",
  "fd7a:115c:a1e0::/48",
  "fd7a:115c:a1e0:b1a::/64",
  ...Array.from({ length: 20 }, (_, i) => `10.${i + 2}.${(i * 37) % 256}.0/24`),
  ...Array.from({ length: 12 }, (_, i) => `2001:db8:${(i + 2).toString(16)}::/48`),
].map(parsePrefixUnsafe)

type Op = { readonly insert: boolean; readonly at: number }

describe("PrefixTable", () => {
  it("holds distinct prefixes of the universe", () => {
    expect(new Set(UNIVERSE.map((p) => p.text)).size).toBe(UNIVERSE.length)
  })

  // Slots are handed out as PrefixGroups does: a freed slot goes to the next prefix.
  test.prop(
    [fc.array(fc.record({ insert: fc.boolean(), at: fc.nat(UNIVERSE.length - 1) }), { maxLength: 300 })],
    {
      numRuns: 300,
    },
  )("finds what a Map by text would, through growth and deletions", (ops: ReadonlyArray<Op>) => {
    // Slot to prefix, as PrefixGroups answers it from each group's first row.
    const held: Prefix[] = []
    const table = new PrefixTable((slot) => held[slot]!)
    const model = new Map<string, number>()
    const free: number[] = []
    let next = 0
    for (const { insert, at } of ops) {
      const p = UNIVERSE[at]!
      const slot = model.get(p.text)
      if (insert && slot === undefined) {
        const s = free.length > 0 ? free.pop()! : next++
        held[s] = p
        table.insert(p, s)
        model.set(p.text, s)
      } else if (!insert && slot !== undefined) {
        table.remove(p, slot)
        model.delete(p.text)
        free.push(slot)
      }
      for (const q of UNIVERSE) expect(table.find(q)).toBe(model.get(q.text) ?? -1)
    }
  })
})

describe("PrefixTable on a hash collision", () => {
  // Found by search: two /64s whose numbers hash alike.
  const [a, b] = ["2001:dbe:d9e1:5868::/64", "2001:db9:ad66:4d50::/64"].map(parsePrefixUnsafe) as [
    Prefix,
    Prefix,
  ]

  it("tells the prefixes apart by their numbers", () => {
    expect(hashOf(a)).toBe(hashOf(b))
    const held = [a, b]
    const table = new PrefixTable((slot) => held[slot]!)
    table.insert(a, 0)
    expect(table.find(b)).toBe(-1)
    table.insert(b, 1)
    expect([table.find(a), table.find(b)]).toEqual([0, 1])
    table.remove(a, 0)
    expect([table.find(a), table.find(b)]).toEqual([-1, 1])
  })
})

describe("RouteIndex lookups by text", () => {
  const index = RouteIndex.from({
    nodes: [node("a")],
    routes: [route(1, "a", "2001:db8::/32"), route(2, "a", "10.0.0.0/24")],
    policy: {},
    nextRouteId: 3,
  })

  it("find a prefix by its canonical text only, as a Map by text did", () => {
    expect(index.routesOfPrefix("2001:db8::/32").map((r) => r.id)).toEqual([1])
    expect(index.routesOfPrefix("10.0.0.0/24").map((r) => r.id)).toEqual([2])
    // The same numbers, spelled otherwise, and texts that are no prefix at all.
    for (const text of [
      "2001:DB8::/32",
      "2001:0db8::/32",
      "2001:db8:0::/32",
      "10.0.0.1/24",
      "10.0.0.0/024",
      "",
      "x",
    ]) {
      expect(index.routesOfPrefix(text)).toEqual([])
    }
  })
})
