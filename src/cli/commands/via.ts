/** `via SITE V4CIDR`, `via V6CIDR` and `via ADDRESS`: 4via6 both ways, without a store. */
import { Result } from "effect"
import { mapVia, unmapVia, unmapViaPrefix } from "../../domain/via.js"
import { UsageError } from "../CliError.js"
import type { CommandRun } from "../CommandContext.js"
import { prefixArg } from "../prefixArg.js"

/** A site ID: decimal or `0x` hex, 0–65535; anything else is a usage error. @category constructors */
export const siteArg = (text: string, command: string): number => {
  const n = /^(0|[1-9][0-9]*)$/.test(text)
    ? Number(text)
    : /^0x[0-9a-fA-F]+$/.test(text)
      ? Number.parseInt(text.slice(2), 16)
      : Number.NaN
  if (Number.isNaN(n)) throw new UsageError(`site ID '${text}' is not a number`, command)
  if (n > 0xffff)
    throw new UsageError(`site ID ${text} is out of range; must be 0xffff (65535) or less`, command)
  return n
}

/** `via`. @category constructors */
export const via: CommandRun = async (ctx) => {
  const name = ctx.command.name
  if (ctx.args.length === 2) {
    const site = siteArg(ctx.args[0]!, name)
    const v4 = prefixArg(ctx.args[1]!, name)
    const mapped = mapVia(site, v4)
    if (Result.isFailure(mapped)) throw new UsageError(mapped.failure.message, name)
    ctx.out(
      ctx.json
        ? `${JSON.stringify({ site, v4: v4.text, v6: mapped.success.text }, null, 2)}\n`
        : `${mapped.success.text}\n`,
    )
    return
  }
  if (!ctx.args[0]!.includes("/")) {
    // An address: Tailscale's UnmapVia. A 4via6 address gives its site and IPv4 address; any other comes back as is.
    const address = ctx.args[0]!
    const unmapped = unmapVia(address)
    if (Result.isFailure(unmapped)) throw new UsageError(unmapped.failure.message, name)
    const via = typeof unmapped.success === "string" ? null : unmapped.success
    ctx.out(
      ctx.json
        ? `${JSON.stringify({ address, site: via?.site ?? null, ipv4: via?.ipv4 ?? null }, null, 2)}\n`
        : via === null
          ? `${address}\n`
          : `site ${via.site} ${via.ipv4}\n`,
    )
    return
  }
  const v6 = prefixArg(ctx.args[0]!, name)
  const unmapped = unmapViaPrefix(v6)
  if (Result.isFailure(unmapped)) throw new UsageError(unmapped.failure.message, name)
  const { site, prefix } = unmapped.success
  ctx.out(
    ctx.json
      ? `${JSON.stringify({ site, v4: prefix.text, v6: v6.text }, null, 2)}\n`
      : `site ${site} ${prefix.text}\n`,
  )
}
