import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { findOverlaps, type OverlapInput, type OverlapReport } from "../../src/domain/overlaps.js"
import { type Prefix, parsePrefixUnsafe } from "../../src/domain/Prefix.js"
import { reservedRanges, reservedRangesCovered } from "../../src/domain/reserved.js"
import { containsRef, derivedFrom, overlapsRef, relatedPrefixes } from "./prefixArbitraries.js"

const route = (id: number, nodeId: string, prefix: string): OverlapInput => ({
  id,
  nodeId,
  prefix: parsePrefixUnsafe(prefix),
})

/** The report as plain ids and texts, in the report's own order. */
const plain = (r: OverlapReport<OverlapInput>) => ({
  overlaps: r.overlaps.map(({ a, b }) => [a.id, b.id]),
  reserved: r.reserved.map(({ route, range }) => [route.id, range.text]),
})

describe("findOverlaps examples", () => {
  it("reports parent/child on different nodes, in sweep order, lower id first", () => {
    const routes = [
      route(1, "a", "10.33.0.0/16"),
      route(2, "b", "10.0.0.0/8"),
      route(3, "a", "10.33.1.0/24"),
      route(4, "c", "10.33.0.0/16"),
      route(5, "c", "192.168.0.0/16"),
    ]
    expect(plain(findOverlaps(routes))).toEqual({
      overlaps: [
        // 10.33.0.0/16 (ids 1, 4) inside 10.0.0.0/8 (id 2); equal prefixes 1 and 4 are not a pair.
        [1, 2],
        [2, 4],
        // 10.33.1.0/24 (id 3, node a) inside /8 (node b) and /16 on node c, not the /16 on its own node.
        [2, 3],
        [3, 4],
      ],
      reserved: [],
    })
  })

  it("leaves out same-node pairs, equal prefixes, other families and exit routes", () => {
    const routes = [
      route(1, "a", "10.0.0.0/8"),
      route(2, "a", "10.1.0.0/16"),
      route(3, "b", "10.0.0.0/8"),
      route(4, "c", "0.0.0.0/0"),
      route(5, "c", "::/0"),
      route(6, "d", "::ffff:10.0.0.0/104"),
      route(7, "d", "10.128.0.0/9"),
      route(8, "e", "10.0.0.0/9"),
    ]
    expect(plain(findOverlaps(routes))).toEqual({
      // Sweep: 10.0.0.0/9 (8) under the /8s (1, 3); 10.1.0.0/16 (2, node a) under the /8 on b and the /9;
      // 10.128.0.0/9 (7) under the /8s only. The mapped IPv6 prefix (6) overlaps nothing IPv4.
      overlaps: [
        [1, 8],
        [3, 8],
        [2, 3],
        [2, 8],
        [1, 7],
        [3, 7],
      ],
      reserved: [],
    })
  })

  const reserved: ReadonlyArray<readonly [prefix: string, ranges: ReadonlyArray<string>, why: string]> = [
    ["100.64.0.0/10", ["100.64.0.0/10", "100.100.100.100/32"], "the CGNAT range itself contains MagicDNS"],
    ["100.100.0.0/16", ["100.64.0.0/10", "100.100.100.100/32"], "inside CGNAT and containing MagicDNS"],
    ["100.100.100.100/32", ["100.64.0.0/10", "100.100.100.100/32"], "MagicDNS itself"],
    ["100.0.0.0/8", ["100.64.0.0/10", "100.100.100.100/32"], "containing CGNAT"],
    ["100.128.0.0/10", [], "beside CGNAT"],
    ["0.0.0.0/0", [], "exit routes are never hits"],
    ["::/0", [], "exit routes are never hits"],
    ["fd7a:115c:a1e0::/48", ["fd7a:115c:a1e0::/48", "fd7a:115c:a1e0::53/128"], "the tailnet ULA itself"],
    ["fd7a:115c:a1e0:ab12::/64", ["fd7a:115c:a1e0::/48"], "inside the ULA, outside 4via6"],
    ["fd7a:115c:a1e0:b1a:0:7:a01:100/120", [], "a 4via6 route is not a ULA hit"],
    ["fd7a:115c:a1e0:b1a::/64", [], "the whole 4via6 range is not a hit either"],
    ["fd7a:115c:a1e0:b1a::/63", ["fd7a:115c:a1e0::/48"], "containing the 4via6 range reaches outside it"],
    ["fd00::/8", ["fd7a:115c:a1e0::/48", "fd7a:115c:a1e0::53/128"], "containing the ULA"],
    ["::ffff:100.64.0.0/106", [], "IPv4-mapped IPv6 is not the IPv4 range"],
  ]
  it.each(reserved)("%s covers %j (%s)", (prefix, ranges) => {
    expect(reservedRangesCovered(parsePrefixUnsafe(prefix)).map((r) => r.text)).toEqual(ranges)
    expect(plain(findOverlaps([route(9, "a", prefix)])).reserved).toEqual(ranges.map((r) => [9, r]))
  })
})

const via64 = parsePrefixUnsafe("fd7a:115c:a1e0:b1a::/64")
const ula48 = parsePrefixUnsafe("fd7a:115c:a1e0::/48")

/** Brute force over all pairs with the BigInt reference, normalised to sorted lists. */
const bruteForce = (routes: ReadonlyArray<OverlapInput>) => {
  const overlaps: Array<[number, number]> = []
  const reserved: Array<[number, string]> = []
  for (let i = 0; i < routes.length; i++) {
    const x = routes[i]!
    if (x.prefix.length === 0) continue
    for (let j = i + 1; j < routes.length; j++) {
      const y = routes[j]!
      if (y.prefix.length === 0 || x.nodeId === y.nodeId || x.prefix.text === y.prefix.text) continue
      if (overlapsRef(x.prefix, y.prefix)) overlaps.push(x.id < y.id ? [x.id, y.id] : [y.id, x.id])
    }
    for (const range of reservedRanges) {
      if (range.text === ula48.text && containsRef(via64, x.prefix)) continue
      if (overlapsRef(x.prefix, range)) reserved.push([x.id, range.text])
    }
  }
  return { overlaps, reserved }
}

const byPair = (a: ReadonlyArray<number | string>, b: ReadonlyArray<number | string>) =>
  String(a[0]).localeCompare(String(b[0]), "en", { numeric: true }) ||
  String(a[1]).localeCompare(String(b[1]), "en", { numeric: true })

const sorted = (r: { overlaps: Array<Array<number | string>>; reserved: Array<Array<number | string>> }) => ({
  overlaps: [...r.overlaps].sort(byPair),
  reserved: [...r.reserved].sort(byPair),
})

/** Route sets biased to share bits, with duplicates across nodes and prefixes near the reserved ranges. */
const routeSets = fc
  .tuple(
    relatedPrefixes(25),
    derivedFrom(4, 0x64400000n, 6),
    derivedFrom(6, 0xfd7a115ca1e00b1an << 64n, 6),
    fc.array(fc.nat(), { maxLength: 8 }),
    fc.array(fc.constantFrom("n1", "n2", "n3", "n4"), { minLength: 60, maxLength: 60 }),
    fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 60, maxLength: 60 }),
  )
  .map(([related, cgnat, via, dupPicks, nodes, idGaps]) => {
    const prefixes: Array<Prefix> = [...related, ...cgnat, ...via]
    // The same prefix on other nodes: the HA case that must not be reported.
    for (const k of dupPicks) prefixes.push(prefixes[k % prefixes.length]!)
    // Ids ascend with gaps, unrelated to prefix order.
    const routes: Array<OverlapInput> = []
    let id = 0
    for (const [i, prefix] of prefixes.slice(0, 60).entries()) {
      id += idGaps[i]!
      routes.push({ id, nodeId: nodes[i]!, prefix })
    }
    return routes
  })

describe("findOverlaps properties", () => {
  it("equals the brute-force all-pairs answer", () => {
    fc.assert(
      fc.property(routeSets, (routes) => {
        expect(sorted(plain(findOverlaps(routes)))).toEqual(sorted(bruteForce(routes)))
      }),
      { numRuns: 400 },
    )
  })

  it("gives the same report, in the same order, whatever the input order", () => {
    fc.assert(
      fc.property(
        routeSets.chain((routes) =>
          fc.tuple(fc.constant(routes), fc.shuffledSubarray(routes, { minLength: routes.length })),
        ),
        ([routes, shuffled]) => {
          expect(plain(findOverlaps(shuffled))).toEqual(plain(findOverlaps(routes)))
        },
      ),
      { numRuns: 200 },
    )
  })

  it("puts the lower id first in every pair", () => {
    fc.assert(
      fc.property(routeSets, (routes) => {
        for (const { a, b } of findOverlaps(routes).overlaps) expect(a.id).toBeLessThan(b.id)
      }),
    )
  })

  it("the generator produces real overlaps and reserved hits (so the comparison can fail)", () => {
    let pairs = 0
    let hits = 0
    for (const routes of fc.sample(routeSets, { numRuns: 100, seed: 3 })) {
      const r = bruteForce(routes)
      pairs += r.overlaps.length
      hits += r.reserved.length
    }
    expect(pairs).toBeGreaterThan(500)
    expect(hits).toBeGreaterThan(100)
  })
})
