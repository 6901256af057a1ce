import { Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type Prefix, parsePrefixUnsafe } from "../../src/domain/Prefix.js"
import {
  isViaError,
  isViaPrefix,
  mapVia,
  unmapVia,
  ViaError,
  type ViaErrorReason,
  validateViaPrefix,
  viaRange,
} from "../../src/domain/via.js"
import { prefixOfBig } from "./prefixArbitraries.js"

const p = parsePrefixUnsafe

const failure = (r: Result.Result<unknown, ViaError>) => {
  if (Result.isSuccess(r)) throw new Error("expected a ViaError")
  expect(isViaError(r.failure)).toBe(true)
  return {
    _tag: r.failure._tag,
    input: r.failure.input,
    reason: r.failure.reason,
    message: r.failure.message,
  }
}

const viaError = (input: string, reason: ViaErrorReason, message: string) => ({
  _tag: "ViaError",
  input,
  reason,
  message,
})

describe("mapVia", () => {
  const rows: ReadonlyArray<readonly [site: number, v4: string, via: string, why: string]> = [
    [7, "10.1.1.0/24", "fd7a:115c:a1e0:b1a:0:7:a01:100/120", "the design's example"],
    [0, "0.0.0.0/0", "fd7a:115c:a1e0:b1a::/96", "site 0, whole IPv4 space"],
    [65535, "192.168.1.1/32", "fd7a:115c:a1e0:b1a:0:ffff:c0a8:101/128", "largest site, host route"],
    [1, "10.0.0.0/8", "fd7a:115c:a1e0:b1a:0:1:a00:0/104", "short IPv4 prefix"],
  ]
  it.each(rows)("site %i + %s → %s (%s)", (site, v4, via) => {
    const r = mapVia(site, p(v4))
    expect(Result.isSuccess(r) && r.success.text).toBe(via)
    expect(Result.getOrThrow(unmapVia(p(via)))).toEqual({ site, prefix: p(v4) })
  })

  const bad: ReadonlyArray<readonly [site: number, prefix: string, error: ReturnType<typeof viaError>]> = [
    [
      65536,
      "10.0.0.0/8",
      viaError(
        "65536",
        "SiteOutOfRange",
        "site ID 65536 is out of range; must be an integer from 0 to 0xffff",
      ),
    ],
    [
      -1,
      "10.0.0.0/8",
      viaError("-1", "SiteOutOfRange", "site ID -1 is out of range; must be an integer from 0 to 0xffff"),
    ],
    [
      1.5,
      "10.0.0.0/8",
      viaError("1.5", "SiteOutOfRange", "site ID 1.5 is out of range; must be an integer from 0 to 0xffff"),
    ],
    [
      1,
      "2001:db8::/32",
      viaError(
        "2001:db8::/32",
        "NotIPv4",
        "2001:db8::/32 is not an IPv4 prefix; only IPv4 prefixes map into 4via6",
      ),
    ],
    [
      1,
      "::ffff:10.0.0.0/104",
      viaError(
        "::ffff:10.0.0.0/104",
        "NotIPv4",
        "::ffff:10.0.0.0/104 is not an IPv4 prefix; only IPv4 prefixes map into 4via6",
      ),
    ],
  ]
  it.each(bad)("site %s with %s is rejected", (site, prefix, error) => {
    expect(failure(mapVia(site, p(prefix)))).toEqual(error)
  })
})

describe("validateViaPrefix", () => {
  const rows: ReadonlyArray<
    readonly [input: string, error: ReturnType<typeof viaError> | null, why: string]
  > = [
    ["fd7a:115c:a1e0:b1a:0:7:a01:100/120", null, "valid"],
    ["fd7a:115c:a1e0:b1a::/96", null, "exactly /96, site 0"],
    ["fd7a:115c:a1e0:b1a:0:ffff::/96", null, "site 0xffff is the largest allowed"],
    [
      "2001:db8::/32",
      viaError("2001:db8::/32", "NotVia", "2001:db8::/32 is not a 4-in-6 prefix"),
      "outside the range",
    ],
    [
      "fd7a:115c:a1e0:b1a::/63",
      viaError("fd7a:115c:a1e0:b1a::/63", "NotVia", "fd7a:115c:a1e0:b1a::/63 is not a 4-in-6 prefix"),
      "contains the /64 but is not inside it",
    ],
    [
      "10.0.0.0/8",
      viaError("10.0.0.0/8", "NotVia", "10.0.0.0/8 is not a 4-in-6 prefix"),
      "IPv4 is never 4-in-6",
    ],
    [
      "fd7a:115c:a1e0:b1a::/64",
      viaError(
        "fd7a:115c:a1e0:b1a::/64",
        "TooShort",
        "fd7a:115c:a1e0:b1a::/64 4-in-6 prefix must be at least a /96",
      ),
      "the range itself is too short",
    ],
    [
      "fd7a:115c:a1e0:b1a:0:2::/95",
      viaError(
        "fd7a:115c:a1e0:b1a:0:2::/95",
        "TooShort",
        "fd7a:115c:a1e0:b1a:0:2::/95 4-in-6 prefix must be at least a /96",
      ),
      "length checked before the site ID",
    ],
    [
      "fd7a:115c:a1e0:b1a:1::/96",
      viaError(
        "fd7a:115c:a1e0:b1a:1::/96",
        "InvalidSite",
        "route fd7a:115c:a1e0:b1a:1::/96 contains invalid site ID 00010000; must be 0xffff or less",
      ),
      "site field 0x00010000: 8 lowercase hex digits",
    ],
    [
      "fd7a:115c:a1e0:b1a:abcd:ef01:a00:0/104",
      viaError(
        "fd7a:115c:a1e0:b1a:abcd:ef01:a00:0/104",
        "InvalidSite",
        "route fd7a:115c:a1e0:b1a:abcd:ef01:a00:0/104 contains invalid site ID abcdef01; must be 0xffff or less",
      ),
      "high site bits",
    ],
  ]
  it.each(rows)("%s (%s)", (input, error) => {
    const r = validateViaPrefix(p(input))
    if (error === null) {
      expect(Result.isSuccess(r) && r.success.text).toBe(input)
      expect(isViaPrefix(p(input))).toBe(true)
    } else {
      expect(failure(r)).toEqual(error)
      expect(failure(unmapVia(p(input)))).toEqual(error)
    }
  })

  it("isViaPrefix is containment in the /64", () => {
    expect(viaRange.text).toBe("fd7a:115c:a1e0:b1a::/64")
    expect(
      [
        "fd7a:115c:a1e0:b1a::/64",
        "fd7a:115c:a1e0:b1a::/63",
        "fd7a:115c:a1e0:b1b::/64",
        "fd7a:115c:a1e0::53/128",
      ].map((s) => isViaPrefix(p(s))),
    ).toEqual([true, false, false, false])
  })

  it("guard and class", () => {
    expect(isViaError(new ViaError({ input: "x", reason: "NotVia", message: "x" }))).toBe(true)
    expect(isViaError(new Error("x"))).toBe(false)
  })
})

describe("properties", () => {
  const v4 = fc
    .tuple(fc.bigInt({ min: 0n, max: 0xffffffffn }), fc.nat(32))
    .map(([a, l]) => prefixOfBig(4, a, l))

  it("mapVia and unmapVia invert each other", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), v4, (site, prefix) => {
        const mapped = Result.getOrThrow(mapVia(site, prefix))
        expect(mapped.length).toBe(prefix.length + 96)
        expect(Result.isSuccess(validateViaPrefix(mapped))).toBe(true)
        const back = Result.getOrThrow(unmapVia(mapped))
        expect({ site: back.site, prefix: back.prefix.text }).toEqual({ site, prefix: prefix.text })
        expect(Result.getOrThrow(mapVia(back.site, back.prefix)).text).toBe(mapped.text)
      }),
      { numRuns: 500 },
    )
  })

  it("validateViaPrefix follows the reference rules on prefixes near the range", () => {
    const base = 0xfd7a115ca1e00b1an << 64n
    const near = fc
      .tuple(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.nat(128), fc.nat(128))
      .map(([noise, noiseBits, length]) =>
        prefixOfBig(6, base ^ (noise & ((1n << BigInt(noiseBits)) - 1n)), length),
      )
    fc.assert(
      fc.property(near, (q: Prefix) => {
        const words = [q.w0, q.w1]
        const inside = q.length >= 64 && words[0] === 0xfd7a115c && words[1] === 0xa1e00b1a
        const expected: ViaErrorReason | null = !inside
          ? "NotVia"
          : q.length < 96
            ? "TooShort"
            : q.w2 > 0xffff
              ? "InvalidSite"
              : null
        const r = validateViaPrefix(q)
        expect(Result.isSuccess(r) ? null : r.failure.reason).toBe(expected)
        expect(isViaPrefix(q)).toBe(inside)
      }),
      { numRuns: 1000 },
    )
  })
})
