/** `policy set FILE` and `policy show`: the autoApprovers policy, in JSON or HuJSON. */
import { readFile } from "node:fs/promises"
import { Result } from "effect"
import { parsePolicyText } from "../../domain/policyText.js"
import { setPolicy } from "../../domain/transitions/setPolicy.js"
import { CommandError, commandErrorOf } from "../CliError.js"
import { type CommandRun, withStore } from "../CommandContext.js"
import { printChanges } from "../changeOutput.js"
import { transact } from "../transact.js"

/** `policy set FILE` (`-` reads stdin). The file is read and checked before the store is opened. @category constructors */
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
  await withStore(ctx, true, async (session) => {
    const { changes } = await transact(session, (index) =>
      Result.succeed(setPolicy(index, policy, ctx.io.now(), ctx.routeOptions)),
    )
    printChanges(ctx, changes)
  })
}

/** `policy show`: the stored policy as JSON (text and `--json` print the same). @category constructors */
export const policyShow: CommandRun = async (ctx) => {
  await withStore(ctx, false, async (session) => {
    const { policy } = await session.snapshot()
    ctx.out(`${JSON.stringify(policy, null, 2)}\n`)
  })
}
