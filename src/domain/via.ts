/**
 * 4via6: Tailscale's encoding of an IPv4 subnet behind a site ID inside
 * `fd7a:115c:a1e0:b1a::/64`, so overlapping IPv4 sites stay distinct IPv6
 * routes. Bits 64–95 hold the site ID (a 32-bit field, only 0–65535 allowed),
 * bits 96–127 the IPv4 address; an IPv4 /n maps to /(n+96).
 */
import { Data, Result } from "effect"
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

/** Inverse of `mapVia`; fails with `validateViaPrefix`'s error on anything else. @category getters */
export const unmapVia = (p: Prefix): Result.Result<UnmappedVia, ViaError> => {
  const valid = validateViaPrefix(p)
  if (Result.isFailure(valid)) return Result.fail(valid.failure)
  return Result.succeed({ site: p.w2, prefix: Prefix.makeUnsafe(4, p.length - 96, p.w3) })
}
