/**
 * Test support for the prefix toolkit: a BigInt reference model (slow,
 * obviously right) and fast-check arbitraries biased so prefixes share
 * leading bits (uniform random prefixes almost never contain each other).
 */
import fc from "fast-check"
import { Prefix } from "../../src/domain/Prefix.js"

export const bitsOf = (family: 4 | 6): number => (family === 4 ? 32 : 128)

/** The prefix's address as one BigInt. */
export const bigOf = (p: Prefix): bigint =>
  p.family === 4
    ? BigInt(p.w0)
    : (BigInt(p.w0) << 96n) | (BigInt(p.w1) << 64n) | (BigInt(p.w2) << 32n) | BigInt(p.w3)

/** Clears everything below the top `length` bits, in BigInt arithmetic. */
export const maskBig = (family: 4 | 6, address: bigint, length: number): bigint => {
  const host = BigInt(bitsOf(family) - length)
  return (address >> host) << host
}

/** Builds a prefix from a BigInt address (masked here, independently of the code under test). */
export const prefixOfBig = (family: 4 | 6, address: bigint, length: number): Prefix => {
  const a = maskBig(family, address, length)
  if (family === 4) return Prefix.makeUnsafe(4, length, Number(a))
  const w = (shift: bigint) => Number((a >> shift) & 0xffffffffn)
  return Prefix.makeUnsafe(6, length, w(96n), w(64n), w(32n), w(0n))
}

/** Reference containment: same family, a no longer than b, same top a.length bits. */
export const containsRef = (a: Prefix, b: Prefix): boolean =>
  a.family === b.family &&
  a.length <= b.length &&
  maskBig(a.family, bigOf(a), a.length) === maskBig(b.family, bigOf(b), a.length)

export const overlapsRef = (a: Prefix, b: Prefix): boolean => containsRef(a, b) || containsRef(b, a)

const addressArb = (family: 4 | 6) => fc.bigInt({ min: 0n, max: (1n << BigInt(bitsOf(family))) - 1n })

/** Prefixes derived from `base` by perturbing low bits and picking lengths. */
export const derivedFrom = (family: 4 | 6, base: bigint, maxCount: number): fc.Arbitrary<Array<Prefix>> =>
  fc
    .array(fc.tuple(addressArb(family), fc.nat(bitsOf(family)), fc.nat(bitsOf(family))), {
      minLength: 1,
      maxLength: maxCount,
    })
    .map((derived) =>
      derived.map(([noise, noiseBits, length]) => {
        const low = (1n << BigInt(noiseBits)) - 1n
        return prefixOfBig(family, base ^ (noise & low), length)
      }),
    )

/** One family's random base address and prefixes derived from it. */
const relatedOfFamily = (family: 4 | 6, maxCount: number) =>
  addressArb(family).chain((base) => derivedFrom(family, base, maxCount))

/** A list of prefixes, mostly sharing leading bits, sometimes mixing both families. */
export const relatedPrefixes = (maxCount = 12): fc.Arbitrary<Array<Prefix>> =>
  fc.oneof(
    relatedOfFamily(4, maxCount),
    relatedOfFamily(6, maxCount),
    fc.tuple(relatedOfFamily(4, maxCount), relatedOfFamily(6, maxCount)).map(([a, b]) => [...a, ...b]),
  )

/** A single prefix of either family, any length. */
export const anyPrefix: fc.Arbitrary<Prefix> = fc.oneof(
  fc.tuple(addressArb(4), fc.nat(32)).map(([a, l]) => prefixOfBig(4, a, l)),
  fc.tuple(addressArb(6), fc.nat(128)).map(([a, l]) => prefixOfBig(6, a, l)),
  // IPv4-mapped IPv6, which has its own canonical spelling.
  fc.tuple(addressArb(4), fc.nat(32)).map(([a, l]) => prefixOfBig(6, (0xffffn << 32n) | a, 96 + l)),
)

/** Spells 8 IPv6 groups the many ways RFC 4291 allows: case, padding, any zero run as ::, dotted tail. */
export const ipv6Spelling: fc.Arbitrary<{ text: string; address: bigint }> = fc
  .tuple(
    fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 }),
    fc.array(fc.tuple(fc.boolean(), fc.nat(3)), { minLength: 8, maxLength: 8 }),
    fc.nat(8),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([groups, styles, runPick, compress, dottedTail]) => {
    const spell = (g: number, i: number) => {
      const [upper, pad] = styles[i]!
      const h = g.toString(16).padStart(Math.min(4, g.toString(16).length + pad), "0")
      return upper ? h.toUpperCase() : h
    }
    // Candidate zero runs; compress the runPick-th if asked.
    const runs: Array<[number, number]> = []
    for (let i = 0; i < 8; i++) {
      if (groups[i] !== 0) continue
      let j = i
      while (j < 8 && groups[j] === 0) j++
      for (let s = i; s < j; s++) for (let e = s + 1; e <= j; e++) runs.push([s, e])
      i = j
    }
    const run = compress && runs.length > 0 ? runs[runPick % runs.length]! : undefined
    const tail = dottedTail && (run === undefined || run[1] <= 6)
    const parts: Array<string> = []
    const last = tail ? 6 : 8
    let text = ""
    for (let i = 0; i < last; i++) {
      if (run !== undefined && i === run[0]) {
        text += `${parts.length > 0 ? parts.join(":") : ""}::`
        parts.length = 0
        i = run[1] - 1
        continue
      }
      parts.push(spell(groups[i]!, i))
    }
    text += parts.join(":")
    if (tail) {
      const sep = text.length === 0 || text.endsWith(":") ? "" : ":"
      text += `${sep}${groups[6]! >> 8}.${groups[6]! & 255}.${groups[7]! >> 8}.${groups[7]! & 255}`
    }
    const address = groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n)
    return { text, address }
  })
