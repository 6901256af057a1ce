import { Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type Prefix, parsePrefixUnsafe } from "../../src/domain/Prefix.js"
import {
  AddressParseError,
  isAddressParseError,
  isViaError,
  isViaPrefix,
  mapVia,
  unmapVia,
  unmapViaPrefix,
  unmapViaUnsafe,
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
    expect(Result.getOrThrow(unmapViaPrefix(p(via)))).toEqual({ site, prefix: p(v4) })
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
      expect(failure(unmapViaPrefix(p(input)))).toEqual(error)
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

  it("mapVia and unmapViaPrefix invert each other", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), v4, (site, prefix) => {
        const mapped = Result.getOrThrow(mapVia(site, prefix))
        expect(mapped.length).toBe(prefix.length + 96)
        expect(Result.isSuccess(validateViaPrefix(mapped))).toBe(true)
        const back = Result.getOrThrow(unmapViaPrefix(mapped))
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

describe("unmapVia (addresses)", () => {
  const rows: ReadonlyArray<
    readonly [input: string, expected: string | { site: number; ipv4: string }, why: string]
  > = [
    ["fd7a:115c:a1e0:b1a:0:7:a01:105", { site: 7, ipv4: "10.1.1.5" }, "the design's site 7, one host"],
    ["FD7A:115C:A1E0:B1A:0:7:A01:105", { site: 7, ipv4: "10.1.1.5" }, "upper case is the same address"],
    ["fd7a:115c:a1e0:b1a::", { site: 0, ipv4: "0.0.0.0" }, "site 0, all zeros"],
    ["fd7a:115c:a1e0:b1a:0:ffff:192.168.1.1", { site: 65535, ipv4: "192.168.1.1" }, "embedded dotted IPv4"],
    ["10.1.1.5", "10.1.1.5", "an IPv4 address comes back unchanged"],
    ["fd7a:115c:a1e0::53", "fd7a:115c:a1e0::53", "a tailnet address outside the 4via6 /64"],
    ["2001:DB8::1", "2001:DB8::1", "unchanged means the same string, not its canonical form"],
    ["::ffff:10.1.1.5", "::ffff:10.1.1.5", "IPv4-mapped IPv6 stays as it is"],
    [
      "fd7a:115c:a1e0:b1a:0:7:a01:105%eth0",
      "fd7a:115c:a1e0:b1a:0:7:a01:105%eth0",
      "a zone never matches (Go)",
    ],
  ]
  it.each(rows)("%s → %j (%s)", (input, expected) => {
    expect(Result.getOrThrow(unmapVia(input))).toEqual(expected)
    expect(unmapViaUnsafe(input)).toEqual(expected)
  })

  const addressError = (input: string, reason: AddressParseError["reason"], why: string) => ({
    _tag: "AddressParseError",
    input,
    reason,
    message: `${JSON.stringify(input)} is not a valid IP address: ${why}`,
  })
  const bad: ReadonlyArray<readonly [input: string, error: object]> = [
    ["", addressError("", "Empty", "empty string")],
    [" 10.0.0.1", addressError(" 10.0.0.1", "Whitespace", "whitespace is not allowed")],
    [
      "fd7a:115c:a1e0:b1a:0:7:a01:100/120",
      addressError(
        "fd7a:115c:a1e0:b1a:0:7:a01:100/120",
        "HasLength",
        "it has a prefix length (unmapViaPrefix takes prefixes)",
      ),
    ],
    ["010.0.0.1", addressError("010.0.0.1", "InvalidAddress", "IPv4 field has octet with leading zero")],
    ["10.1", addressError("10.1", "InvalidAddress", "IPv4 address must have four dotted decimal fields")],
    ["fe80::1%", addressError("fe80::1%", "Zone", "zone must be a non-empty string")],
    [
      "10.0.0.1%eth0",
      addressError("10.0.0.1%eth0", "InvalidAddress", "unexpected character in IPv4 address"),
    ],
    ["fd7a::b1a::1", addressError("fd7a::b1a::1", "InvalidAddress", "multiple :: in IPv6 address")],
    [
      "fd7a:115c:a1e0:b1a:1:0:a00:1",
      {
        _tag: "ViaError",
        input: "fd7a:115c:a1e0:b1a:1:0:a00:1",
        reason: "InvalidSite",
        message:
          "address fd7a:115c:a1e0:b1a:1:0:a00:1 contains invalid site ID 00010000; must be 0xffff or less",
      },
    ],
  ]
  it.each(bad)("refuses %j", (input, error) => {
    const r = unmapVia(input)
    if (Result.isSuccess(r)) throw new Error("expected a failure")
    const { _tag, input: i, reason, message } = r.failure
    expect({ _tag, input: i, reason, message }).toEqual(error)
    expect(() => unmapViaUnsafe(input)).toThrow(r.failure)
  })

  it("guard and class", () => {
    expect(isAddressParseError(new AddressParseError({ input: "x", reason: "Empty", message: "x" }))).toBe(
      true,
    )
    expect(isAddressParseError(new ViaError({ input: "x", reason: "NotVia", message: "x" }))).toBe(false)
  })

  const v4 = fc.bigInt({ min: 0n, max: 0xffffffffn }).map((a) => prefixOfBig(4, a, 32))
  const addressOf = (prefix: Prefix): string => prefix.text.slice(0, prefix.text.lastIndexOf("/"))

  it("round trip: mapVia then unmapVia on the address gives back the site and the IPv4 address, exactly", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), v4, (site, host) => {
        const mapped = Result.getOrThrow(mapVia(site, host))
        expect(Result.getOrThrow(unmapVia(addressOf(mapped)))).toEqual({ site, ipv4: addressOf(host) })
      }),
      { numRuns: 500 },
    )
  })

  it("any valid address outside the 4via6 range comes back as the same string", () => {
    const outside = fc
      .tuple(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.boolean())
      .map(([a, v6]) => (v6 ? prefixOfBig(6, a, 128) : prefixOfBig(4, a & 0xffffffffn, 32)))
      .filter((host) => !isViaPrefix(host))
    fc.assert(
      fc.property(outside, (host) => {
        expect(Result.getOrThrow(unmapVia(addressOf(host)))).toBe(addressOf(host))
      }),
      { numRuns: 500 },
    )
  })
})
