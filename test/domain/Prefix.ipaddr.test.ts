/**
 * ipaddr.js as a second, independent oracle for the prefix parser (DESIGN §7).
 * It is more lenient than `net/netip` (STACK §7: octal, hex and short IPv4
 * forms, `/08`, zones, and `::a.b.c.d` read as IPv4-mapped), so it is trusted
 * only where its acceptance means what ours means:
 * - on well-formed text (decimal dotted quads, RFC 4291 spellings) the two
 *   agree on the network address, the length and the canonical text;
 * - on any text, we never accept what it refuses, and what it accepts but we
 *   refuse shows one of its known leniencies;
 * - the leniencies themselves are pinned by a table, so the guard is needed.
 */
import { Result } from "effect"
import fc from "fast-check"
import ipaddr from "ipaddr.js"
import { describe, expect, it } from "vitest"
import { normalisePrefix, type Prefix, parsePrefix } from "../../src/domain/Prefix.js"
import { ipv6Spelling } from "./prefixArbitraries.js"

/** Our prefix's address as bytes, the way ipaddr.js's `toByteArray` gives them. */
const bytesOf = (p: Prefix): number[] => {
  const words = p.family === 4 ? [p.w0] : [p.w0, p.w1, p.w2, p.w3]
  return words.flatMap((w) => [w >>> 24, (w >>> 16) & 255, (w >>> 8) & 255, w & 255])
}

/** ipaddr.js's reading: the family-specific parser (dispatch on ":"), host bits cleared; null when it refuses. */
const theirs = (input: string): { bytes: number[]; length: number; text: string } | null => {
  try {
    const family = input.includes(":") ? ipaddr.IPv6 : ipaddr.IPv4
    const [, length] = family.parseCIDR(input)
    const network = family.networkAddressFromCIDR(input)
    const text = network.kind() === "ipv6" ? (network as ipaddr.IPv6).toRFC5952String() : network.toString()
    return { bytes: network.toByteArray(), length, text }
  } catch {
    return null
  }
}

/** ipaddr.js reads `::a.b.c.d` as `::ffff:a.b.c.d`; RFC 4291 (and netip) read it as `::a.b.c.d`. */
const bareDottedAfterColons = (input: string) => /^::[0-9]+\./.test(input)

/** The canonical text the two should share: RFC 5952, but IPv4-mapped printed dotted (DESIGN §1). */
const expectedText = (t: { bytes: number[]; length: number; text: string }): string => {
  const b = t.bytes
  const mapped = b.length === 16 && b.slice(0, 10).every((x) => x === 0) && b[10] === 255 && b[11] === 255
  return mapped ? `::ffff:${b.slice(12).join(".")}/${t.length}` : `${t.text}/${t.length}`
}

const octet = fc.integer({ min: 0, max: 255 })

describe("ipaddr.js agrees on well-formed text", () => {
  it("IPv4 dotted quads: same network, same text; strict parsing accepts exactly when no host bit is set", () => {
    fc.assert(
      fc.property(fc.tuple(octet, octet, octet, octet), fc.nat(32), (quad, length) => {
        const input = `${quad.join(".")}/${length}`
        // The guard STACK names: only four-part decimal text is compared.
        expect(ipaddr.IPv4.isValidCIDRFourPartDecimal(input)).toBe(true)
        const t = theirs(input)!
        const mine = normalisePrefix(input)
        expect(Result.isSuccess(mine) && bytesOf(mine.success.prefix)).toEqual(t.bytes)
        expect(Result.isSuccess(mine) && mine.success.prefix.text).toBe(expectedText(t))
        const hostBits = t.bytes.join(".") !== quad.join(".")
        expect(Result.isSuccess(parsePrefix(input))).toBe(!hostBits)
      }),
      { numRuns: 2_000 },
    )
  })

  it("every RFC 4291 IPv6 spelling: same network bytes, same length, RFC 5952 text (mapped printed dotted)", () => {
    fc.assert(
      fc.property(ipv6Spelling, fc.nat(128), ({ text }, length) => {
        fc.pre(!bareDottedAfterColons(text))
        const input = `${text}/${length}`
        const t = theirs(input)
        expect({ input, accepted: t !== null }).toEqual({ input, accepted: true })
        const mine = normalisePrefix(input)
        expect(Result.isSuccess(mine) && bytesOf(mine.success.prefix)).toEqual(t!.bytes)
        expect(Result.isSuccess(mine) && mine.success.prefix.length).toBe(t!.length)
        expect(Result.isSuccess(mine) && mine.success.prefix.text).toBe(expectedText(t!))
      }),
      { numRuns: 2_000 },
    )
  })

  // The mapped branch of `expectedText`: random spellings above almost never produce `::ffff:0:0/96`.
  it("IPv4-mapped addresses, spelled dotted or in hex, print dotted", () => {
    const hex = (a: number, b: number) => ((a << 8) | b).toString(16)
    fc.assert(
      fc.property(
        fc.tuple(octet, octet, octet, octet),
        fc.integer({ min: 96, max: 128 }),
        fc.boolean(),
        (q, length, dotted) => {
          const input = `::ffff:${dotted ? q.join(".") : `${hex(q[0], q[1])}:${hex(q[2], q[3])}`}/${length}`
          const t = theirs(input)!
          expect(expectedText(t).startsWith("::ffff:")).toBe(true)
          const mine = normalisePrefix(input)
          expect(Result.isSuccess(mine) && bytesOf(mine.success.prefix)).toEqual(t.bytes)
          expect(Result.isSuccess(mine) && mine.success.prefix.text).toBe(expectedText(t))
        },
      ),
      { numRuns: 500 },
    )
  })
})

const zone = fc.constantFrom("", "", "%eth0", "%1")
const lengthText = fc.constantFrom(
  "/0",
  "/8",
  "/08",
  "/24",
  "/32",
  "/33",
  "/64",
  "/96",
  "/128",
  "/129",
  "/",
  "",
)

/** Text in the corners where ipaddr.js is lenient, beside well-formed pieces. */
const messy = fc
  .tuple(
    fc.oneof(
      // Token soup: anything, mostly refused by both.
      fc
        .array(
          fc.constantFrom(
            "0",
            "1",
            "10",
            "010",
            "08",
            "0x0a",
            "255",
            "256",
            "ffff",
            "FFFF",
            "a",
            "g",
            ".",
            ":",
            "::",
          ),
          { minLength: 1, maxLength: 9 },
        )
        .map((parts) => parts.join("")),
      // Dotted fields, one to four, in octal, hex, leading-zero or plain decimal spelling.
      fc
        .array(fc.constantFrom("0", "1", "10", "255", "256", "010", "08", "0x0a", "00"), {
          minLength: 1,
          maxLength: 4,
        })
        .map((fields) => fields.join(".")),
    ),
    zone,
    lengthText,
  )
  .map(([address, z, length]) => `${address}${z}${length}`)

/** The leniencies of ipaddr.js that net/netip (and we) refuse. */
const knownLeniency = (input: string): string | null => {
  const [address = "", length = ""] = input.split("/")
  if (address.includes("%")) return "zone"
  if (/^0\d/.test(length)) return "length with a leading zero"
  if (!address.includes(":") && !ipaddr.IPv4.isValidCIDRFourPartDecimal(input)) return "not four-part decimal"
  const dotted = /[0-9.]+$/.exec(address)?.[0] ?? ""
  if (dotted.includes(".") && dotted.split(".").some((o) => /^0\d/.test(o)))
    return "octet with a leading zero"
  return null
}

describe("ipaddr.js on any text", () => {
  it("we never accept what it refuses, and what only it accepts is one of its known leniencies", () => {
    fc.assert(
      fc.property(messy, (input) => {
        const mine = normalisePrefix(input)
        const t = theirs(input)
        if (Result.isSuccess(mine)) {
          expect({ input, theirs: t !== null }).toEqual({ input, theirs: true })
          if (!bareDottedAfterColons(input)) expect(bytesOf(mine.success.prefix)).toEqual(t!.bytes)
        } else if (t !== null) {
          expect({ input, leniency: knownLeniency(input) }).toEqual({ input, leniency: expect.any(String) })
        }
      }),
      { numRuns: 5_000 },
    )
  })

  // Each row: ipaddr.js accepts it (so the guards above are needed) and we refuse it, or read it otherwise.
  const lenient: ReadonlyArray<readonly [input: string, why: string, theirs: string]> = [
    ["010.0.0.0/8", "octal octet", "8.0.0.0/8"],
    ["0x0a.0.0.0/8", "hex octet", "10.0.0.0/8"],
    ["10.1/8", "two-part IPv4", "10.0.0.0/8"],
    ["167772160/8", "one-part IPv4", "10.0.0.0/8"],
    ["10.0.0.0/08", "length with a leading zero", "10.0.0.0/8"],
    ["fe80::1%eth0/64", "zone", "fe80::/64"],
    ["::ffff:01.2.3.4/128", "octet with a leading zero in a dotted tail", "::ffff:1.2.3.4/128"],
  ]
  it.each(lenient)("ipaddr.js accepts %s (%s) as %s; we refuse it", (input, _why, reading) => {
    const t = theirs(input)
    expect(t && expectedText(t)).toBe(reading)
    expect([Result.isFailure(parsePrefix(input)), Result.isFailure(normalisePrefix(input))]).toEqual([
      true,
      true,
    ])
  })

  it("reads ::a.b.c.d as IPv4-mapped, where RFC 4291 and we read the low 32 bits (why that spelling is left out)", () => {
    expect(theirs("::1.2.3.4/128")?.bytes).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 1, 2, 3, 4])
    expect(parsePrefix("::1.2.3.4/128").pipe(Result.map((p) => p.text))).toEqual(
      Result.succeed("::102:304/128"),
    )
  })
})
