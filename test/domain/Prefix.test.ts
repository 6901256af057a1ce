import { Result, Schema } from "effect"
import { IpNetwork } from "effect/net"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  compare,
  contains,
  equals,
  exitPair,
  exitV4,
  exitV6,
  formatPrefix,
  isExitRoute,
  isIPv4,
  isIPv6,
  isPrefix,
  isPrefixParseError,
  normalisePrefix,
  overlaps,
  Prefix,
  PrefixFromString,
  PrefixParseError,
  type PrefixParseErrorReason,
  parsePrefix,
  parsePrefixUnsafe,
} from "../../src/domain/Prefix.js"
import {
  anyPrefix,
  bigOf,
  containsRef,
  ipv6Spelling,
  overlapsRef,
  prefixOfBig,
  relatedPrefixes,
} from "./prefixArbitraries.js"

/** The whole value of a prefix, as plain data. */
const shape = (p: Prefix) => ({
  family: p.family,
  length: p.length,
  words: [p.w0, p.w1, p.w2, p.w3],
  text: p.text,
})

/** The whole value of a parse failure, as plain data (and it must be a real PrefixParseError). */
const failureOf = (input: string) => {
  const r = parsePrefix(input)
  if (Result.isSuccess(r))
    throw new Error(`expected ${JSON.stringify(input)} to be rejected, got ${r.success.text}`)
  expect(isPrefixParseError(r.failure)).toBe(true)
  return {
    _tag: r.failure._tag,
    input: r.failure.input,
    reason: r.failure.reason,
    message: r.failure.message,
  }
}

const rejected = (input: string, reason: PrefixParseErrorReason, why: string) => ({
  _tag: "PrefixParseError",
  input,
  reason,
  message: `${JSON.stringify(input)} is not a valid prefix: ${why}`,
})

describe("parsePrefix accepts and canonicalises", () => {
  const rows: ReadonlyArray<readonly [input: string, canonical: string, why: string]> = [
    ["10.0.0.0/8", "10.0.0.0/8", "plain IPv4 is already canonical"],
    ["0.0.0.0/0", "0.0.0.0/0", "IPv4 exit route; /0 is a valid one-digit length"],
    ["255.255.255.255/32", "255.255.255.255/32", "every octet at its maximum"],
    ["100.64.0.0/10", "100.64.0.0/10", "length not on an octet boundary"],
    ["2001:DB8::/32", "2001:db8::/32", "IPv6 text is lowercased"],
    [
      "2001:0db8:0000:0000:0000:0000:0000:0000/32",
      "2001:db8::/32",
      "leading zeros in groups dropped, zeros compressed",
    ],
    ["0001::/16", "1::/16", "Go allows up to 4 hex digits per group, including leading zeros"],
    ["::/0", "::/0", "IPv6 exit route"],
    ["::/128", "::/128", "all-zero address"],
    ["::1/128", "::1/128", "loopback, leading compression"],
    ["1::/16", "1::/16", "trailing compression"],
    ["1:0:0:1:0:0:0:1/128", "1:0:0:1::1/128", "the longest zero run is compressed"],
    ["1:0:0:2:0:0:3:4/128", "1::2:0:0:3:4/128", "equal runs: the first is compressed"],
    ["1:2:3:4:5:6:0:8/128", "1:2:3:4:5:6:0:8/128", "a single zero group is never compressed"],
    [
      "1:2:3:4:5:6:7::/128",
      "1:2:3:4:5:6:7:0/128",
      ":: standing for one group is accepted, printed without ::",
    ],
    ["::ffff:10.0.0.0/104", "::ffff:10.0.0.0/104", "IPv4-mapped stays IPv6, printed with dotted tail"],
    ["::FFFF:a00:0/104", "::ffff:10.0.0.0/104", "IPv4-mapped spelled in hex"],
    ["::1.2.3.4/128", "::102:304/128", "embedded IPv4 after :: (not mapped) is printed in hex"],
    [
      "1:2:3:4:5:6:1.2.3.4/128",
      "1:2:3:4:5:6:102:304/128",
      "embedded IPv4 replacing exactly the last two groups",
    ],
    ["fd7a:115c:a1e0:b1a:0:7:a01:100/120", "fd7a:115c:a1e0:b1a:0:7:a01:100/120", "a 4via6 route"],
  ]
  it.each(rows)("%s → %s (%s)", (input, canonical) => {
    const p = parsePrefixUnsafe(input)
    expect(p.text).toBe(canonical)
    expect(formatPrefix(p)).toBe(canonical)
    expect(String(p)).toBe(canonical)
    expect(JSON.stringify({ p })).toBe(JSON.stringify({ p: canonical }))
  })

  it("stores the address as big-endian words", () => {
    expect(shape(parsePrefixUnsafe("10.1.2.0/24"))).toEqual({
      family: 4,
      length: 24,
      words: [0x0a010200, 0, 0, 0],
      text: "10.1.2.0/24",
    })
    expect(shape(parsePrefixUnsafe("2001:db8:1:2:3:4:5:6/128"))).toEqual({
      family: 6,
      length: 128,
      words: [0x20010db8, 0x00010002, 0x00030004, 0x00050006],
      text: "2001:db8:1:2:3:4:5:6/128",
    })
    expect(shape(parsePrefixUnsafe("::ffff:192.168.0.0/112"))).toEqual({
      family: 6,
      length: 112,
      words: [0, 0, 0xffff, 0xc0a80000],
      text: "::ffff:192.168.0.0/112",
    })
  })
})

describe("parsePrefix rejects", () => {
  const rows: ReadonlyArray<
    readonly [input: string, reason: PrefixParseErrorReason, why: string, row: string]
  > = [
    ["", "Empty", "empty string", "empty input"],
    ["10.0.0.0", "MissingLength", 'missing "/<length>"', "no slash"],
    ["10.0.0.0/", "InvalidLength", "missing prefix length after slash", "slash without digits"],
    [" 10.0.0.0/8", "Whitespace", "whitespace is not allowed", "leading space"],
    ["10.0.0.0/8\n", "Whitespace", "whitespace is not allowed", "trailing newline"],
    ["2001:db8:: /32", "Whitespace", "whitespace is not allowed", "inner space"],
    [
      "010.0.0.0/8",
      "InvalidAddress",
      "IPv4 field has octet with leading zero",
      "octal-looking octet (ipaddr.js reads 8.0.0.0)",
    ],
    ["10.0.0.00/32", "InvalidAddress", "IPv4 field has octet with leading zero", "00 octet"],
    ["0x0a.0.0.0/8", "InvalidAddress", "unexpected character in IPv4 address", "hex octet"],
    ["10.1/16", "InvalidAddress", "IPv4 address must have four dotted decimal fields", "short form"],
    ["167772160/8", "InvalidAddress", "IPv4 field has value >255", "integer form"],
    ["10.0.0.256/32", "InvalidAddress", "IPv4 field has value >255", "octet too big"],
    ["10.0.0.0.0/8", "InvalidAddress", "IPv4 address has more than four fields", "five fields"],
    ["10..0.0/8", "InvalidAddress", "IPv4 field must have at least one digit", "empty field"],
    [
      "10.0.0.0/08",
      "InvalidLength",
      'prefix length "08" must be decimal digits without leading zeros',
      "padded length",
    ],
    [
      "10.0.0.0/+8",
      "InvalidLength",
      'prefix length "+8" must be decimal digits without leading zeros',
      "signed length",
    ],
    [
      "10.0.0.0/8/8",
      "InvalidAddress",
      "unexpected character in IPv4 address",
      "two slashes: the last one splits",
    ],
    ["10.0.0.0/33", "LengthOutOfRange", "prefix length 33 out of range for IPv4 (0-32)", "IPv4 bound"],
    ["::/129", "LengthOutOfRange", "prefix length 129 out of range for IPv6 (0-128)", "IPv6 bound"],
    [
      "::/99999999999999999999",
      "LengthOutOfRange",
      "prefix length 1000 out of range for IPv6 (0-128)",
      "huge length is capped, not wrapped",
    ],
    ["fe80::1%eth0/64", "Zone", "IPv6 zones are not allowed in a prefix", "zone id"],
    [
      ":::/0",
      "InvalidAddress",
      "each colon-separated IPv6 group must have at least one hex digit",
      "three colons",
    ],
    ["1::2::3/64", "InvalidAddress", "multiple :: in IPv6 address", "two ::"],
    ["1:2:3:4:5:6:7:8:9/128", "InvalidAddress", "IPv6 address has more than 8 groups", "nine groups"],
    [
      "1:2:3:4:5:6:7/128",
      "InvalidAddress",
      "IPv6 address has fewer than 8 groups and no ::",
      "seven groups, no ::",
    ],
    [
      "1:2:3:4::5:6:7:8/128",
      "InvalidAddress",
      "the :: must expand to at least one group of zeros",
      ":: with eight groups",
    ],
    ["12345::/16", "InvalidAddress", "each IPv6 group must have 4 or fewer hex digits", "five-digit group"],
    ["1:/16", "InvalidAddress", "colon must be followed by more characters", "trailing single colon"],
    [
      ":1::/16",
      "InvalidAddress",
      "each colon-separated IPv6 group must have at least one hex digit",
      "leading single colon",
    ],
    [
      "g::/16",
      "InvalidAddress",
      "each colon-separated IPv6 group must have at least one hex digit",
      "non-hex digit",
    ],
    [
      "1:2g::/16",
      "InvalidAddress",
      "unexpected character in IPv6 address, want colon",
      "garbage inside a group",
    ],
    [
      "1.2.3.4::/64",
      "InvalidAddress",
      "embedded IPv4 address must replace the final 2 groups of the address",
      "IPv4 at the front",
    ],
    [
      "1:2:3:4:5:6:7:1.2.3.4/128",
      "InvalidAddress",
      "embedded IPv4 address must replace the final 2 groups of the address",
      "IPv4 in the last group only",
    ],
    [
      "1:2:3:4:5:6:7::1.2.3.4/128",
      "InvalidAddress",
      "too many hex groups to fit an embedded IPv4 address at the end",
      "no room for IPv4 after ::",
    ],
    ["::1.2.3.4.5/128", "InvalidAddress", "IPv4 address has more than four fields", "bad embedded IPv4"],
    [
      "::01.2.3.4/128",
      "InvalidAddress",
      "IPv4 field has octet with leading zero",
      "embedded IPv4 follows IPv4 rules",
    ],
  ]
  it.each(rows)("%s (%s, %s, %s)", (input, reason, why) => {
    expect(failureOf(input)).toEqual(rejected(input, reason, why))
  })

  const hostBits: ReadonlyArray<readonly [input: string, expected: string, why: string]> = [
    ["10.0.0.1/24", "10.0.0.0/24", "the issue's example"],
    ["1.1.1.1/0", "0.0.0.0/0", "host bits under /0: never a stray exit route"],
    ["2001:db8::1/32", "2001:db8::/32", "IPv6 host bits"],
    ["::ffff:10.0.0.1/104", "::ffff:10.0.0.0/104", "mapped host bits, expected in mapped form"],
    ["2001:DB8:0:0:0:0:0:1/64", "2001:db8::/64", "the expected text is canonical, the input verbatim"],
  ]
  it.each(hostBits)("%s has host bits set (%s, %s)", (input, expected) => {
    const failure = {
      _tag: "PrefixParseError",
      input,
      reason: "HostBitsSet",
      message: `${input} has non-address bits set; expected ${expected}`,
    }
    expect(failureOf(input)).toEqual(failure)
    // The unsafe twin throws the same error.
    let thrown: unknown
    try {
      parsePrefixUnsafe(input)
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(PrefixParseError)
    const e = thrown as PrefixParseError
    expect({ _tag: e._tag, input: e.input, reason: e.reason, message: e.message }).toEqual(failure)
  })
})

describe("normalisePrefix", () => {
  const rows: ReadonlyArray<readonly [input: string, canonical: string, masked: boolean]> = [
    ["10.0.0.1/24", "10.0.0.0/24", true],
    ["10.0.0.0/24", "10.0.0.0/24", false],
    ["1.1.1.1/0", "0.0.0.0/0", true],
    ["2001:db8::1/32", "2001:db8::/32", true],
    ["2001:DB8::/32", "2001:db8::/32", false],
  ]
  it.each(rows)("%s → %s (masked: %s)", (input, canonical, masked) => {
    const r = normalisePrefix(input)
    expect(Result.isSuccess(r) && { text: r.success.prefix.text, masked: r.success.masked }).toEqual({
      text: canonical,
      masked,
    })
  })

  it("is strict about everything but host bits", () => {
    for (const input of [
      "010.0.0.1/8",
      "10.0.0.1/08",
      "fe80::1%eth0/64",
      "10.0.0.1",
      " 10.0.0.1/8",
      "10.0.0.1/33",
    ]) {
      const r = normalisePrefix(input)
      const strict = parsePrefix(input)
      expect(Result.isFailure(r) && Result.isFailure(strict) && r.failure.message).toBe(
        Result.isFailure(strict) && strict.failure.message,
      )
    }
  })

  it("is idempotent and agrees with the strict parser's expected text", () => {
    fc.assert(
      fc.property(anyPrefix, fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (p, noise) => {
        // Dirty the host bits of a canonical prefix's text.
        const width = p.family === 4 ? 32 : 128
        const hostMask = (1n << BigInt(width - p.length)) - 1n
        const dirty = prefixOfBig(p.family, bigOf(p) | (noise & hostMask), width)
        const input = `${dirty.text.slice(0, dirty.text.lastIndexOf("/"))}/${p.length}`
        const once = Result.getOrThrow(normalisePrefix(input))
        expect(shape(once.prefix)).toEqual(shape(p))
        expect(once.masked).toBe((noise & hostMask) !== 0n)
        const twice = Result.getOrThrow(normalisePrefix(once.prefix.text))
        expect({ prefix: shape(twice.prefix), masked: twice.masked }).toEqual({
          prefix: shape(p),
          masked: false,
        })
        const strict = parsePrefix(input)
        if (once.masked) {
          expect(Result.isFailure(strict) && strict.failure.message).toBe(
            `${input} has non-address bits set; expected ${p.text}`,
          )
        } else {
          expect(Result.isSuccess(strict) && shape(strict.success)).toEqual(shape(p))
        }
      }),
      { numRuns: 500 },
    )
  })
})

describe("parsePrefix properties", () => {
  it("round-trips: parse(format(p)) equals p and format(parse(text)) is text", () => {
    fc.assert(
      fc.property(anyPrefix, (p) => {
        const back = parsePrefixUnsafe(formatPrefix(p))
        expect(shape(back)).toEqual(shape(p))
        expect(equals(back, p)).toBe(true)
        expect(formatPrefix(back)).toBe(p.text)
      }),
      { numRuns: 1000 },
    )
  })

  it("reads every RFC 4291 spelling to the BigInt reference, printed as effect/net prints it", () => {
    fc.assert(
      fc.property(ipv6Spelling, fc.nat(128), ({ text, address }, length) => {
        const input = `${text}/${length}`
        const r = normalisePrefix(input)
        const expected = prefixOfBig(6, address, length)
        expect(Result.isSuccess(r) && shape(r.success.prefix)).toEqual(shape(expected))
        // Independent formatter: effect/net's IpNetwork (after masking) prints RFC 5952 too.
        const oracle = IpNetwork.fromString(expected.text)
        expect(Result.isSuccess(oracle) && IpNetwork.format(oracle.success)).toBe(expected.text)
      }),
      { numRuns: 2000 },
    )
  })

  it("accepts exactly what effect/net's strict IpNetwork parser accepts", () => {
    const token = fc.constantFrom(
      "0",
      "1",
      "9",
      "00",
      "01",
      "10",
      "255",
      "256",
      "1000",
      "a",
      "F",
      "ffff",
      "12345",
      "g",
      ".",
      ".",
      ":",
      ":",
      "::",
      "%",
      "x",
      " ",
    )
    const text = fc.array(token, { maxLength: 12 }).map((ts) => ts.join(""))
    const length = fc.constantFrom(
      "/0",
      "/8",
      "/24",
      "/32",
      "/33",
      "/64",
      "/128",
      "/129",
      "/08",
      "",
      "/",
      "/-1",
    )
    fc.assert(
      fc.property(
        fc.oneof(
          text,
          ipv6Spelling.map((s) => s.text),
        ),
        length,
        (address, len) => {
          const input = `${address}${len}`
          const mine = parsePrefix(input)
          const theirs = IpNetwork.fromString(input)
          expect({ input, accepted: Result.isSuccess(mine) }).toEqual({
            input,
            accepted: Result.isSuccess(theirs),
          })
          if (Result.isSuccess(mine) && Result.isSuccess(theirs)) {
            expect(mine.success.text).toBe(IpNetwork.format(theirs.success))
          }
        },
      ),
      { numRuns: 5000 },
    )
  })
})

describe("ordering and containment", () => {
  it("compare is a total order consistent with equals, with IPv4 first and containers before contents", () => {
    fc.assert(
      fc.property(relatedPrefixes(6), (ps) => {
        for (const a of ps) {
          expect(compare(a, a)).toBe(0)
          for (const b of ps) {
            expect(compare(a, b)).toBe(-compare(b, a) || 0)
            expect(compare(a, b) === 0).toBe(equals(a, b))
            expect(equals(a, b)).toBe(a.text === b.text)
            if (a.family !== b.family) expect(compare(a, b)).toBe(a.family === 4 ? -1 : 1)
            if (contains(a, b) && !equals(a, b)) expect(compare(a, b)).toBe(-1)
            for (const c of ps) {
              if (compare(a, b) <= 0 && compare(b, c) <= 0) expect(compare(a, c)).toBeLessThanOrEqual(0)
            }
          }
        }
      }),
      { numRuns: 300 },
    )
  })

  it("contains and overlaps agree with the BigInt reference on prefixes that share bits", () => {
    fc.assert(
      fc.property(relatedPrefixes(10), (ps) => {
        for (const a of ps) {
          for (const b of ps) {
            expect({ a: a.text, b: b.text, contains: contains(a, b), overlaps: overlaps(a, b) }).toEqual({
              a: a.text,
              b: b.text,
              contains: containsRef(a, b),
              overlaps: overlapsRef(a, b),
            })
          }
        }
      }),
      { numRuns: 500 },
    )
  })

  it("the generator really produces containment both ways (so the property above can fail)", () => {
    const samples = fc.sample(relatedPrefixes(10), { numRuns: 200, seed: 1 })
    let strict = 0
    let disjointSameFamily = 0
    for (const ps of samples)
      for (const a of ps)
        for (const b of ps) {
          if (containsRef(a, b) && !equals(a, b)) strict++
          if (a.family === b.family && !overlapsRef(a, b)) disjointSameFamily++
        }
    expect(strict).toBeGreaterThan(100)
    expect(disjointSameFamily).toBeGreaterThan(100)
  })

  const table: ReadonlyArray<
    readonly [a: string, b: string, contains: boolean, overlaps: boolean, why: string]
  > = [
    ["10.0.0.0/8", "10.33.0.0/16", true, true, "parent contains child"],
    ["10.33.0.0/16", "10.0.0.0/8", false, true, "child does not contain parent, but they overlap"],
    ["10.0.0.0/8", "10.0.0.0/8", true, true, "equal prefixes contain each other"],
    ["10.0.0.0/9", "10.128.0.0/9", false, false, "siblings are disjoint"],
    ["0.0.0.0/0", "::/0", false, false, "families never overlap"],
    ["::/0", "::ffff:10.0.0.0/104", true, true, "IPv4-mapped is IPv6"],
    ["0.0.0.0/0", "::ffff:10.0.0.0/104", false, false, "IPv4 never contains a mapped IPv6 prefix"],
    ["2001:db8::/32", "2001:db8:0:0:1::/80", true, true, "IPv6 beyond the second word"],
    ["2001:db8::/127", "2001:db8::1/128", true, true, "last bit of the last word"],
    ["2001:db8::/128", "2001:db8::1/128", false, false, "differ only in the last bit"],
  ]
  it.each(table)("%s vs %s: contains %s, overlaps %s (%s)", (a, b, c, o) => {
    const pa = parsePrefixUnsafe(a)
    const pb = parsePrefixUnsafe(b)
    expect({ contains: contains(pa, pb), overlaps: overlaps(pa, pb) }).toEqual({ contains: c, overlaps: o })
  })
})

describe("families, exit routes and guards", () => {
  it("exit constants are the parsed exit routes", () => {
    expect(shape(exitV4)).toEqual(shape(parsePrefixUnsafe("0.0.0.0/0")))
    expect(shape(exitV6)).toEqual(shape(parsePrefixUnsafe("::/0")))
    expect(exitPair.map((p) => p.text)).toEqual(["0.0.0.0/0", "::/0"])
  })

  const rows: ReadonlyArray<readonly [input: string, v4: boolean, v6: boolean, exit: boolean]> = [
    ["0.0.0.0/0", true, false, true],
    ["::/0", false, true, true],
    ["0.0.0.0/1", true, false, false],
    ["::/1", false, true, false],
    ["::ffff:0.0.0.0/96", false, true, false],
    ["10.0.0.0/8", true, false, false],
  ]
  it.each(rows)("%s: IPv4 %s, IPv6 %s, exit %s", (input, v4, v6, exit) => {
    const p = parsePrefixUnsafe(input)
    expect({ v4: isIPv4(p), v6: isIPv6(p), exit: isExitRoute(p) }).toEqual({ v4, v6, exit })
  })

  it("guards tell prefixes and parse errors from look-alikes", () => {
    const p = parsePrefixUnsafe("10.0.0.0/8")
    expect([isPrefix(p), isPrefix({ ...p }), isPrefix("10.0.0.0/8")]).toEqual([true, false, false])
    const e = parsePrefix("x")
    expect([
      isPrefixParseError(Result.isFailure(e) && e.failure),
      isPrefixParseError(new Error("x")),
    ]).toEqual([true, false])
  })
})

describe("Prefix.makeUnsafe", () => {
  it("builds canonical prefixes from words", () => {
    expect(shape(Prefix.makeUnsafe(6, 104, 0, 0, 0xffff, 0x0a000000))).toEqual(
      shape(parsePrefixUnsafe("::ffff:10.0.0.0/104")),
    )
  })
  const bad: ReadonlyArray<readonly [string, () => Prefix, string]> = [
    ["host bits", () => Prefix.makeUnsafe(4, 24, 0x0a000001), "Prefix.makeUnsafe: host bits set beyond /24"],
    ["length", () => Prefix.makeUnsafe(4, 33, 0), "Prefix.makeUnsafe: length 33 out of range for IPv4"],
    ["family", () => Prefix.makeUnsafe(5 as 4, 0, 0), "Prefix.makeUnsafe: family must be 4 or 6, got 5"],
    ["word", () => Prefix.makeUnsafe(6, 128, 2 ** 32), "Prefix.makeUnsafe: word 4294967296 is not a uint32"],
    ["IPv4 words", () => Prefix.makeUnsafe(4, 32, 0, 1), "Prefix.makeUnsafe: IPv4 uses w0 only"],
  ]
  it.each(bad)("rejects a bad %s", (_, make, message) => {
    expect(make).toThrow(new RangeError(message))
  })
})

describe("PrefixFromString", () => {
  it("decodes strictly and encodes canonical text", () => {
    const decode = Schema.decodeUnknownSync(PrefixFromString)
    expect(shape(decode("2001:DB8::/32"))).toEqual(shape(parsePrefixUnsafe("2001:db8::/32")))
    expect(Schema.encodeSync(PrefixFromString)(parsePrefixUnsafe("10.0.0.0/8"))).toBe("10.0.0.0/8")
    expect(() => decode("10.0.0.1/24")).toThrow("10.0.0.1/24 has non-address bits set; expected 10.0.0.0/24")
    expect(() => decode(42)).toThrow()
  })
})
