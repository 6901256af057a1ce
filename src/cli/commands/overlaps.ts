/** `overlaps`: overlapping routes on different nodes and reserved-range hits, as warnings. */
import { findOverlaps } from "../../domain/overlaps.js"
import type { Prefix } from "../../domain/Prefix.js"
import { contains } from "../../domain/Prefix.js"
import type { Route } from "../../domain/Route.js"
import { overlapsToJson } from "../../facade/toJson.js"
import { type CommandRun, withStore } from "../CommandContext.js"

const names: ReadonlyArray<readonly [string, string]> = [
  ["100.64.0.0/10", "the tailnet's IPv4 addresses (CGNAT range)"],
  ["fd7a:115c:a1e0::/48", "the tailnet's IPv6 addresses"],
  ["100.100.100.100/32", "MagicDNS (IPv4)"],
  ["fd7a:115c:a1e0::53/128", "MagicDNS (IPv6)"],
]

/** What a reserved range is for. @category getters */
export const reservedName = (range: Prefix): string =>
  names.find(([t]) => t === range.text)?.[1] ?? "reserved"

const label = (r: Route): string => `${r.prefix.text} (route ${r.id} on ${r.nodeId})`

/** `overlaps`. @category constructors */
export const overlaps: CommandRun = async (ctx) => {
  await withStore(ctx, false, async (session) => {
    const { routes } = await session.snapshot()
    const report = findOverlaps(routes)
    if (ctx.json) {
      ctx.out(`${JSON.stringify(overlapsToJson(report), null, 2)}\n`)
      return
    }
    const p = ctx.palette
    const lines: string[] = []
    for (const { a, b } of report.overlaps) {
      const [outer, inner] = contains(a.prefix, b.prefix) ? [a, b] : [b, a]
      lines.push(`${p.yellow("warning")}: ${label(outer)} contains ${label(inner)}`)
    }
    for (const { route, range } of report.reserved) {
      lines.push(`${p.yellow("warning")}: ${label(route)} covers ${range.text}, ${reservedName(range)}`)
    }
    ctx.out(
      lines.length === 0 ? "no overlapping routes and no reserved ranges covered\n" : `${lines.join("\n")}\n`,
    )
  })
}
