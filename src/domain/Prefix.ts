// This module's way past the private constructor (assigned in the class's static block).
let trusted: (
  family: 4 | 6,
  length: number,
  w0: number,
  w1: number,
  w2: number,
  w3: number,
  text: string,
) => Prefix

/**
 * A canonical IP prefix and its toolkit: strict and lenient parsing (Go
 * `net/netip` rules), canonical text, a total order, containment and overlap.
 *
 * The address lives in four big-endian uint32 words so comparisons are a few
 * number compares; the canonical text is computed once and is the Map key
 * everywhere. The text machinery is in `internal/addressText.ts`.
 */
import { Data, Effect, Result, Schema, SchemaIssue, SchemaTransformation } from "effect"
import {
  addressProblem,
  formatIPv4,
  formatIPv6,
  maskOf,
  parseIPv4,
  parseIPv6,
  words,
} from "./internal/addressText.js"

/**
 * A canonical IP prefix: the masked network address and its length. Made only
 * by `parsePrefix`, `normalisePrefix`, `parsePrefixUnsafe` and
 * `Prefix.makeUnsafe`, so host bits are always zero and `text` is canonical.
 *
 * @category models
 */
export class Prefix {
  // Private: the constructor trusts its arguments (masked words, canonical
  // text), so only this module builds prefixes, through `trusted`.
  private constructor(
    /** 4 or 6. */
    readonly family: 4 | 6,
    /** Prefix length: 0–32 for IPv4, 0–128 for IPv6. */
    readonly length: number,
    /** Masked address as four big-endian unsigned 32-bit words; IPv4 uses `w0` only. */
    readonly w0: number,
    readonly w1: number,
    readonly w2: number,
    readonly w3: number,
    /** Canonical text (IPv4 dotted, IPv6 RFC 5952), e.g. `10.0.0.0/24`; the Map key everywhere. */
    readonly text: string,
  ) {}

  static {
    trusted = (family, length, w0, w1, w2, w3, text) => new Prefix(family, length, w0, w1, w2, w3, text)
  }

  /**
   * Builds a prefix from numeric parts (tests, 4via6 arithmetic); throws a
   * `RangeError` on a bad family, length or word, or on host bits set.
   */
  static makeUnsafe(family: 4 | 6, length: number, w0: number, w1 = 0, w2 = 0, w3 = 0): Prefix {
    const bound = family === 4 ? 32 : family === 6 ? 128 : -1
    if (bound < 0) throw new RangeError(`Prefix.makeUnsafe: family must be 4 or 6, got ${family}`)
    if (!Number.isInteger(length) || length < 0 || length > bound) {
      throw new RangeError(`Prefix.makeUnsafe: length ${length} out of range for IPv${family}`)
    }
    for (const w of [w0, w1, w2, w3]) {
      if (!Number.isInteger(w) || w < 0 || w > 0xffffffff) {
        throw new RangeError(`Prefix.makeUnsafe: word ${w} is not a uint32`)
      }
    }
    if (family === 4 && (w1 !== 0 || w2 !== 0 || w3 !== 0)) {
      throw new RangeError("Prefix.makeUnsafe: IPv4 uses w0 only")
    }
    const m0 = masked(w0, length)
    const m1 = masked(w1, length - 32)
    const m2 = masked(w2, length - 64)
    const m3 = masked(w3, length - 96)
    if (m0 !== w0 || m1 !== w1 || m2 !== w2 || m3 !== w3) {
      throw new RangeError(`Prefix.makeUnsafe: host bits set beyond /${length}`)
    }
    return trusted(family, length, w0, w1, w2, w3, textOf(family, length, w0, w1, w2, w3))
  }

  toString(): string {
    return this.text
  }

  toJSON(): string {
    return this.text
  }
}

/** Which rule a rejected prefix broke. @category models */
export type PrefixParseErrorReason =
  | "Empty"
  | "Whitespace"
  | "MissingLength"
  | "Zone"
  | "InvalidAddress"
  | "InvalidLength"
  | "LengthOutOfRange"
  | "HostBitsSet"

/** A string that is not a prefix under the strict rules; `message` names the input. @category errors */
export class PrefixParseError extends Data.TaggedError("PrefixParseError")<{
  readonly input: string
  readonly reason: PrefixParseErrorReason
  readonly message: string
}> {}

/** @category guards */
export const isPrefixParseError = (u: unknown): u is PrefixParseError => u instanceof PrefixParseError

/** @category guards */
export const isPrefix = (u: unknown): u is Prefix => u instanceof Prefix

/** The result of `normalisePrefix`: the canonical prefix and whether host bits were cleared. @category models */
export interface NormalisedPrefix {
  readonly prefix: Prefix
  readonly masked: boolean
}

const masked = (w: number, bits: number): number => (w & maskOf(bits)) >>> 0

const textOf = (family: 4 | 6, length: number, w0: number, w1: number, w2: number, w3: number): string =>
  family === 4 ? `${formatIPv4(w0)}/${length}` : `${formatIPv6(w0, w1, w2, w3)}/${length}`

/**
 * Builds a parse error without capturing a stack: it is a value returned in a
 * `Result`, and a stack capture costs several times the whole parse (effect's
 * Schema does the same). `parsePrefixUnsafe` rebuilds it with a stack to throw.
 */
const parseError = (input: string, reason: PrefixParseErrorReason, message: string): PrefixParseError => {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    return new PrefixParseError({ input, reason, message })
  } finally {
    Error.stackTraceLimit = limit
  }
}

const invalid = (input: string, reason: PrefixParseErrorReason, why: string): PrefixParseError =>
  /\s/.test(input)
    ? parseError(
        input,
        "Whitespace",
        `${JSON.stringify(input)} is not a valid prefix: whitespace is not allowed`,
      )
    : parseError(input, reason, `${JSON.stringify(input)} is not a valid prefix: ${why}`)

// Set by `parseCore` on success: whether host bits were cleared. Avoids allocating a pair per parse.
let lastMasked = false

/** The one parser behind every entry point; `lenient` masks host bits instead of rejecting them. */
const parseCore = (input: string, lenient: boolean): Prefix | PrefixParseError => {
  const n = input.length
  if (n === 0) return invalid(input, "Empty", "empty string")
  const slash = input.lastIndexOf("/")
  if (slash < 0) return invalid(input, "MissingLength", 'missing "/<length>"')

  // Length: decimal, no sign, no leading zeros (Go: "/08" is rejected, "/0" is fine). Like Go,
  // a bad address is reported before a bad length, so only remember the problem here.
  let length = slash + 1 === n ? -1 : 0
  for (let i = slash + 1; i < n && length >= 0; i++) {
    const c = input.charCodeAt(i)
    if (c < 48 || c > 57 || (i === slash + 1 && c === 48 && n - slash > 2)) length = -1
    // Capped so an absurdly long length cannot lose precision; anything past 128 is out of range anyway.
    else length = Math.min(length * 10 + (c - 48), 1000)
  }

  const isV6 = input.lastIndexOf(":", slash) >= 0
  if (!isV6) {
    const w = parseIPv4(input, 0, slash)
    if (w < 0) return invalid(input, "InvalidAddress", addressProblem(w))
    if (length < 0) return badLength(input, slash)
    if (length > 32) {
      return invalid(input, "LengthOutOfRange", `prefix length ${length} out of range for IPv4 (0-32)`)
    }
    const m = masked(w, length)
    if (m !== w) {
      if (!lenient) return hostBitsError(input, textOf(4, length, m, 0, 0, 0))
      lastMasked = true
      return trusted(4, length, m, 0, 0, 0, textOf(4, length, m, 0, 0, 0))
    }
    lastMasked = false
    // Strict grammar leaves exactly one spelling per IPv4 prefix, so the input is already canonical.
    return trusted(4, length, w, 0, 0, 0, input)
  }

  const zone = input.indexOf("%")
  if (zone >= 0 && zone < slash) {
    return invalid(input, "Zone", "IPv6 zones are not allowed in a prefix")
  }
  const code = parseIPv6(input, 0, slash)
  if (code < 0) return invalid(input, "InvalidAddress", addressProblem(code))
  if (length < 0) return badLength(input, slash)
  if (length > 128) {
    return invalid(input, "LengthOutOfRange", `prefix length ${length} out of range for IPv6 (0-128)`)
  }
  const w0 = words[0]!
  const w1 = words[1]!
  const w2 = words[2]!
  const w3 = words[3]!
  const m0 = masked(w0, length)
  const m1 = masked(w1, length - 32)
  const m2 = masked(w2, length - 64)
  const m3 = masked(w3, length - 96)
  const text = textOf(6, length, m0, m1, m2, m3)
  if (m0 !== w0 || m1 !== w1 || m2 !== w2 || m3 !== w3) {
    if (!lenient) return hostBitsError(input, text)
    lastMasked = true
  } else {
    lastMasked = false
  }
  return trusted(6, length, m0, m1, m2, m3, text)
}

const badLength = (input: string, slash: number): PrefixParseError =>
  invalid(
    input,
    "InvalidLength",
    slash + 1 === input.length
      ? "missing prefix length after slash"
      : `prefix length ${JSON.stringify(input.slice(slash + 1))} must be decimal digits without leading zeros`,
  )

const hostBitsError = (input: string, expected: string): PrefixParseError =>
  parseError(input, "HostBitsSet", `${input} has non-address bits set; expected ${expected}`)

/**
 * Parses a prefix strictly (Go `net/netip` rules, and host bits must be zero).
 *
 * @example parsePrefix("10.0.0.1/24") // Failure: "10.0.0.1/24 has non-address bits set; expected 10.0.0.0/24"
 * @category constructors
 */
export const parsePrefix = (input: string): Result.Result<Prefix, PrefixParseError> => {
  const r = parseCore(input, false)
  return r instanceof Prefix ? Result.succeed(r) : Result.fail(r)
}

/** `parsePrefix` that throws its `PrefixParseError`. @category constructors */
export const parsePrefixUnsafe = (input: string): Prefix => {
  const r = parseCore(input, false)
  if (r instanceof Prefix) return r
  throw new PrefixParseError({ input: r.input, reason: r.reason, message: r.message })
}

/**
 * Parses like `parsePrefix` but clears host bits instead of rejecting them,
 * reporting `masked: true` when it did.
 *
 * @category constructors
 */
export const normalisePrefix = (input: string): Result.Result<NormalisedPrefix, PrefixParseError> => {
  const r = parseCore(input, true)
  return r instanceof Prefix ? Result.succeed({ prefix: r, masked: lastMasked }) : Result.fail(r)
}

/** The canonical text, e.g. `2001:db8::/32`. @category getters */
export const formatPrefix = (p: Prefix): string => p.text

/** Same family, address and length. @category predicates */
export const equals = (a: Prefix, b: Prefix): boolean =>
  a.length === b.length &&
  a.w0 === b.w0 &&
  a.family === b.family &&
  a.w1 === b.w1 &&
  a.w2 === b.w2 &&
  a.w3 === b.w3

/**
 * Total order: IPv4 before IPv6, then address words, then length (shorter
 * first), so a prefix sorts before every prefix it contains.
 *
 * @category getters
 */
export const compare = (a: Prefix, b: Prefix): -1 | 0 | 1 => {
  if (a.family !== b.family) return a.family < b.family ? -1 : 1
  if (a.w0 !== b.w0) return a.w0 < b.w0 ? -1 : 1
  if (a.w1 !== b.w1) return a.w1 < b.w1 ? -1 : 1
  if (a.w2 !== b.w2) return a.w2 < b.w2 ? -1 : 1
  if (a.w3 !== b.w3) return a.w3 < b.w3 ? -1 : 1
  if (a.length !== b.length) return a.length < b.length ? -1 : 1
  return 0
}

/** True when `a` contains `b` (equal counts): same family, `a` no longer than `b`, and `b` starts with `a`'s bits. @category predicates */
export const contains = (a: Prefix, b: Prefix): boolean => {
  if (a.family !== b.family || a.length > b.length) return false
  const l = a.length
  // a is masked, so comparing b's masked words to a's words is the whole test.
  if (masked(b.w0, l) !== a.w0) return false
  if (l <= 32) return true
  if (masked(b.w1, l - 32) !== a.w1) return false
  if (l <= 64) return true
  if (masked(b.w2, l - 64) !== a.w2) return false
  if (l <= 96) return true
  return masked(b.w3, l - 96) === a.w3
}

/** True when the prefixes share any address, i.e. one contains the other. @category predicates */
export const overlaps = (a: Prefix, b: Prefix): boolean =>
  a.length <= b.length ? contains(a, b) : contains(b, a)

/** @category predicates */
export const isIPv4 = (p: Prefix): boolean => p.family === 4

/** @category predicates */
export const isIPv6 = (p: Prefix): boolean => p.family === 6

/** The IPv4 exit route `0.0.0.0/0`. @category constructors */
export const exitV4: Prefix = trusted(4, 0, 0, 0, 0, 0, "0.0.0.0/0")

/** The IPv6 exit route `::/0`. @category constructors */
export const exitV6: Prefix = trusted(6, 0, 0, 0, 0, 0, "::/0")

/** Both exit routes, IPv4 first; they are enabled, disabled and deleted together. @category constructors */
export const exitPair: readonly [Prefix, Prefix] = [exitV4, exitV6]

/**
 * Exactly `0.0.0.0/0` or `::/0`: the one exit-route test, for a `Prefix` or
 * its canonical text (prefix groups and stored rows are keyed by text).
 *
 * @category predicates
 */
export const isExitRoute = (p: Prefix | string): boolean =>
  typeof p === "string" ? p === exitV4.text || p === exitV6.text : p.length === 0

/**
 * Schema decoding prefix text strictly (as `parsePrefix`) into a `Prefix` and
 * encoding it back to canonical text.
 *
 * @category models
 */
export const PrefixFromString = Schema.String.pipe(
  Schema.decodeTo(
    Schema.declare(isPrefix, { identifier: "Prefix" }),
    SchemaTransformation.transformEffect({
      decode: (input: string, options) => {
        const r = parseCore(input, false)
        return r instanceof Prefix
          ? Effect.succeed(r)
          : Effect.fail(new SchemaIssue.InvalidValue({ message: r.message }, input, options))
      },
      encode: (p: Prefix) => Effect.succeed(p.text),
    }),
  ),
)
