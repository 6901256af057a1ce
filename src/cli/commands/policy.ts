/** `policy set FILE` and `policy show`: the autoApprovers policy, in JSON or HuJSON. */
import { readFile } from "node:fs/promises"
import { Result } from "effect"
import { type ApprovalChange, type PolicyPreview, previewPolicy } from "../../domain/policyPreview.js"
import { parsePolicyText } from "../../domain/policyText.js"
import { RouteIndex } from "../../domain/RouteIndex.js"
import { setPolicy } from "../../domain/transitions/setPolicy.js"
import { changeToJson } from "../../facade/toJson.js"
import { CommandError, commandErrorOf } from "../CliError.js"
import { type CommandRun, withStore } from "../CommandContext.js"
import { printChanges } from "../changeOutput.js"
import { transact } from "../transact.js"

/** `policy set FILE [--dry-run]` (`-` reads stdin); `--dry-run` prints what would be granted, revoked and moved. The file is read and checked before the store is opened. @category constructors */
export const policySet: CommandRun = async (ctx) => {
  const file = ctx.args[0]!
  let text: string
  try {
    text = file === "-" ? await ctx.io.readStdin() : await readFile(file, "utf8")
  } catch (e) {
    const code = (e as { code?: string }).code
    throw new CommandError(
      `${file}: ${code === "ENOENT" ? "no such file" : e instanceof Error ? e.message : String(e)}`,
      code === "ENOENT" ? "FILE_NOT_FOUND" : "FILE_UNREADABLE",
      { file },
    )
  }
  const parsed = parsePolicyText(text)
  if (Result.isFailure(parsed))
    throw commandErrorOf(parsed.failure, `${file === "-" ? "stdin" : file}: ${parsed.failure.message}`)
  const policy = parsed.success
  if (ctx.options["dry-run"] === true) {
    // A preview reads the store and writes nothing (so it never creates one either).
    await withStore(ctx, false, async (session) => {
      const preview = previewPolicy(
        RouteIndex.from(await session.snapshot()),
        policy,
        ctx.io.now(),
        ctx.routeOptions,
      )
      ctx.out(ctx.json ? `${JSON.stringify(previewToJson(preview), null, 2)}\n` : previewText(preview))
    })
    return
  }
  await withStore(ctx, true, async (session) => {
    const { changes } = await transact(session, (index) =>
      Result.succeed(setPolicy(index, policy, ctx.io.now(), ctx.routeOptions)),
    )
    printChanges(ctx, changes)
  })
}

const previewToJson = (p: PolicyPreview) => ({
  dryRun: true,
  granted: p.granted,
  revoked: p.revoked,
  primaries: p.primaries,
  changes: changeToJson(p.changeSet),
})

const previewText = (p: PolicyPreview): string => {
  const route = (a: ApprovalChange) => `route ${a.routeId} (${a.prefix} on ${a.nodeId})`
  const id = (n: number | null) => (n === null ? "none" : `route ${n}`)
  const lines = [
    ...p.granted.map((a) => `would grant: ${route(a)}`),
    ...p.revoked.map((a) => `would revoke: ${route(a)}`),
    ...p.primaries.map((c) => `would move the primary of ${c.prefix}: ${id(c.before)} -> ${id(c.after)}`),
  ]
  if (lines.length === 0) return "the policy would change no approval and move no primary\n"
  return `${lines.join("\n")}\n${p.granted.length} granted, ${p.revoked.length} revoked, ${p.primaries.length} primaries moved; nothing was written\n`
}

/** `policy show`: the stored policy as JSON (text and `--json` print the same). @category constructors */
export const policyShow: CommandRun = async (ctx) => {
  await withStore(ctx, false, async (session) => {
    const { policy } = await session.snapshot()
    ctx.out(`${JSON.stringify(policy, null, 2)}\n`)
  })
}
