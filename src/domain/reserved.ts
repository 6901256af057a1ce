/**
 * Address ranges a subnet route should not cover: the tailnet's own CGNAT
 * range and ULA, and the MagicDNS resolver addresses. Reported as warnings,
 * never enforced.
 *
 * "Covers" means overlaps: the route contains the range or lies inside it.
 * The ULA `fd7a:115c:a1e0::/48` is counted only outside the 4via6 range: a
 * route inside `fd7a:115c:a1e0:b1a::/64` is a 4via6 route, not a hit (a route
 * that contains the whole /64, such as the /48 itself, still is). Exit routes
 * are never hits: they cover everything by definition.
 */
import { equals, isExitRoute, overlaps, type Prefix, parsePrefixUnsafe } from "./Prefix.js"
import { isViaPrefix } from "./via.js"

/** The tailnet's CGNAT range, `100.64.0.0/10`. @category constructors */
export const tailnetV4Range: Prefix = parsePrefixUnsafe("100.64.0.0/10")

/** The tailnet's ULA range, `fd7a:115c:a1e0::/48` (4via6 routes inside it are exempt). @category constructors */
export const tailnetV6Range: Prefix = parsePrefixUnsafe("fd7a:115c:a1e0::/48")

/** The MagicDNS resolver, `100.100.100.100/32`. @category constructors */
export const magicDnsV4: Prefix = parsePrefixUnsafe("100.100.100.100/32")

/** The MagicDNS resolver, `fd7a:115c:a1e0::53/128`. @category constructors */
export const magicDnsV6: Prefix = parsePrefixUnsafe("fd7a:115c:a1e0::53/128")

/** Every reserved range, in the order hits are reported. @category constructors */
export const reservedRanges: ReadonlyArray<Prefix> = [tailnetV4Range, magicDnsV4, tailnetV6Range, magicDnsV6]

/** True when `route` covers `range` in the sense of this module's header. @category predicates */
export const coversReserved = (route: Prefix, range: Prefix): boolean =>
  !isExitRoute(route) && overlaps(route, range) && !(equals(range, tailnetV6Range) && isViaPrefix(route))

/** The reserved ranges `route` covers, in `reservedRanges` order; empty for exit routes. @category getters */
export const reservedRangesCovered = (route: Prefix): Array<Prefix> => {
  const hits: Array<Prefix> = []
  for (const range of reservedRanges) if (coversReserved(route, range)) hits.push(range)
  return hits
}
