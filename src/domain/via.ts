/**
 * 4via6: Tailscale's encoding of an IPv4 subnet behind a site ID inside
 * `fd7a:115c:a1e0:b1a::/64`, so overlapping IPv4 sites stay distinct IPv6
 * routes. Bits 64–95 hold the site ID (a 32-bit field, only 0–65535 allowed),
 * bits 96–127 the IPv4 address; an IPv4 /n maps to /(n+96).
 *
 * Addresses go back with `unmapVia` (Tailscale's `tsaddr.UnmapVia`: a 4via6
 * address gives its site and IPv4 address, any other address comes back as
 * it was); prefixes with `unmapViaPrefix`.
 */
import { Data, Result } from "effect"
import { addressProblem, formatIPv4, parseIPv4, parseIPv6, words } from "./internal/addressText.js"
import { contains, Prefix } from "./Prefix.js"

const VIA_W0 = 0xfd7a115c
const VIA_W1 = 0xa1e00b1a
const MAX_SITE = 0xffff

/** The 4via6 range `fd7a:115c:a1e0:b1a::/64`. @category constructors */
export const viaRange: Prefix = Prefix.makeUnsafe(6, 64, VIA_W0, VIA_W1, 0, 0)

/** Which 4via6 rule was broken. @category models */
export type ViaErrorReason = "SiteOutOfRange" | "NotIPv4" | "NotVia" | "TooShort" | "InvalidSite"

/** A 4via6 mapping or validation failure; `input` is the offending prefix text (or site ID). @category errors */
export class ViaError extends Data.TaggedError("ViaError")<{
  readonly input: string
  readonly reason: ViaErrorReason
  readonly message: string
}> {}

/** @category guards */
export const isViaError = (u: unknown): u is ViaError => u instanceof ViaError

/**
 * Maps an IPv4 prefix behind site `site` (0–65535) into the 4via6 range.
 *
 * @example mapVia(7, parsePrefixUnsafe("10.1.1.0/24")) // Success: fd7a:115c:a1e0:b1a:0:7:a01:100/120
 * @category constructors
 */
export const mapVia = (site: number, v4: Prefix): Result.Result<Prefix, ViaError> => {
  if (!Number.isInteger(site) || site < 0 || site > MAX_SITE) {
    return Result.fail(
      new ViaError({
        input: String(site),
        reason: "SiteOutOfRange",
        message: `site ID ${site} is out of range; must be an integer from 0 to 0xffff`,
      }),
    )
  }
  if (v4.family !== 4) {
    return Result.fail(
      new ViaError({
        input: v4.text,
        reason: "NotIPv4",
        message: `${v4.text} is not an IPv4 prefix; only IPv4 prefixes map into 4via6`,
      }),
    )
  }
  return Result.succeed(Prefix.makeUnsafe(6, v4.length + 96, VIA_W0, VIA_W1, site, v4.w0))
}

/** True when `p` lies inside `fd7a:115c:a1e0:b1a::/64` (whatever its length or site field). @category predicates */
export const isViaPrefix = (p: Prefix): boolean => contains(viaRange, p)

/**
 * Checks a 4via6 prefix, in Tailscale's order: inside the range, at least a
 * /96, site ID at most 0xffff.
 *
 * @category constructors
 */
export const validateViaPrefix = (p: Prefix): Result.Result<Prefix, ViaError> => {
  if (!isViaPrefix(p)) {
    return Result.fail(
      new ViaError({ input: p.text, reason: "NotVia", message: `${p.text} is not a 4-in-6 prefix` }),
    )
  }
  if (p.length < 96) {
    return Result.fail(
      new ViaError({
        input: p.text,
        reason: "TooShort",
        message: `${p.text} 4-in-6 prefix must be at least a /96`,
      }),
    )
  }
  if (p.w2 > MAX_SITE) {
    return Result.fail(
      new ViaError({
        input: p.text,
        reason: "InvalidSite",
        message: `route ${p.text} contains invalid site ID ${p.w2.toString(16).padStart(8, "0")}; must be 0xffff or less`,
      }),
    )
  }
  return Result.succeed(p)
}

/** The site ID and IPv4 prefix a valid 4via6 prefix encodes. @category models */
export interface UnmappedVia {
  readonly site: number
  readonly prefix: Prefix
}

/**
 * Inverse of `mapVia` on prefixes: `unmapViaPrefix(mapVia(site, p))` is
 * `{ site, prefix: p }`. Fails with `validateViaPrefix`'s error on anything
 * that is not a valid 4via6 prefix.
 *
 * @category getters
 */
export const unmapViaPrefix = (p: Prefix): Result.Result<UnmappedVia, ViaError> => {
  const valid = validateViaPrefix(p)
  if (Result.isFailure(valid)) return Result.fail(valid.failure)
  return Result.succeed({ site: p.w2, prefix: Prefix.makeUnsafe(4, p.length - 96, p.w3) })
}

/** Which rule a rejected address broke. @category models */
export type AddressParseErrorReason = "Empty" | "Whitespace" | "HasLength" | "Zone" | "InvalidAddress"

/** A string that is not an IP address (Go `net/netip` rules); `message` names the input. @category errors */
export class AddressParseError extends Data.TaggedError("AddressParseError")<{
  readonly input: string
  readonly reason: AddressParseErrorReason
  readonly message: string
}> {}

/** @category guards */
export const isAddressParseError = (u: unknown): u is AddressParseError => u instanceof AddressParseError

/** What a 4via6 address encodes: the site ID (0–65535) and the IPv4 address, dotted-quad text. @category models */
export interface ViaAddress {
  readonly site: number
  readonly ipv4: string
}

const addressError = (input: string, reason: AddressParseErrorReason, why: string): AddressParseError =>
  new AddressParseError({
    input,
    reason,
    message: `${JSON.stringify(input)} is not a valid IP address: ${why}`,
  })

/**
 * Tailscale's `UnmapVia` for address text. A 4via6 address (inside
 * `fd7a:115c:a1e0:b1a::/64`) gives `{ site, ipv4 }`, so
 * `unmapVia(address of mapVia(site, a/32))` is exactly `{ site, ipv4: a }`;
 * any other valid address (IPv4, IPv6, IPv4-mapped, or with a zone, which
 * like Go's `Prefix.Contains` never matches the range) comes back unchanged,
 * the same string. Addresses follow Go's `netip.ParseAddr`: no octal or short
 * IPv4 forms, a zone must be non-empty. Invalid text is an
 * `AddressParseError`; a 4via6 address whose site field exceeds 0xffff is a
 * `ViaError` (`InvalidSite`), as `validateViaPrefix` says of such a prefix.
 *
 * @example unmapVia("fd7a:115c:a1e0:b1a:0:7:a01:105") // Success: { site: 7, ipv4: "10.1.1.5" }
 * @example unmapVia("10.1.1.5") // Success: "10.1.1.5"
 * @category getters
 */
export const unmapVia = (
  address: string,
): Result.Result<ViaAddress | string, AddressParseError | ViaError> => {
  if (address === "") return Result.fail(addressError(address, "Empty", "empty string"))
  if (/\s/.test(address)) return Result.fail(addressError(address, "Whitespace", "whitespace is not allowed"))
  if (address.includes("/"))
    return Result.fail(
      addressError(address, "HasLength", "it has a prefix length (unmapViaPrefix takes prefixes)"),
    )
  if (!address.includes(":")) {
    const w = parseIPv4(address, 0, address.length)
    return w < 0
      ? Result.fail(addressError(address, "InvalidAddress", addressProblem(w)))
      : Result.succeed(address)
  }
  const zone = address.indexOf("%")
  if (zone === address.length - 1)
    return Result.fail(addressError(address, "Zone", "zone must be a non-empty string"))
  const code = parseIPv6(address, 0, zone < 0 ? address.length : zone)
  if (code < 0) return Result.fail(addressError(address, "InvalidAddress", addressProblem(code)))
  if (zone >= 0 || words[0] !== VIA_W0 || words[1] !== VIA_W1) return Result.succeed(address)
  const site = words[2]!
  if (site > MAX_SITE) {
    return Result.fail(
      new ViaError({
        input: address,
        reason: "InvalidSite",
        message: `address ${address} contains invalid site ID ${site.toString(16).padStart(8, "0")}; must be 0xffff or less`,
      }),
    )
  }
  return Result.succeed({ site, ipv4: formatIPv4(words[3]!) })
}

/** `unmapVia` that throws its error. @category getters */
export const unmapViaUnsafe = (address: string): ViaAddress | string => {
  const r = unmapVia(address)
  if (Result.isFailure(r)) throw r.failure
  return r.success
}
