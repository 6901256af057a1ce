/** `reconcile [--dry-run]`: repair stored state, re-elect every prefix, and say what changed. */
import { Result } from "effect"
import { RouteIndex } from "../../domain/RouteIndex.js"
import { type Repair, reconcile as reconcileState } from "../../domain/reconcile.js"
import { reconcileToJson } from "../../facade/toJson.js"
import { type CommandRun, withStore } from "../CommandContext.js"
import { changeText } from "../changeOutput.js"
import { transact } from "../transact.js"

/** `reconcile`. @category constructors */
export const reconcile: CommandRun = async (ctx) => {
  const dryRun = ctx.options["dry-run"] === true
  await withStore(ctx, false, async (session) => {
    let repairs: ReadonlyArray<Repair> = []
    const plan = (index: RouteIndex) => {
      const r = reconcileState(index, ctx.io.now(), ctx.routeOptions)
      repairs = r.repairs
      return r.changeSet
    }
    const decide = (index: RouteIndex) => Result.succeed(plan(index))
    const changes = dryRun
      ? plan(RouteIndex.from(await session.snapshot()))
      : (await transact(session, decide)).changes
    if (ctx.json) {
      ctx.out(`${JSON.stringify({ dryRun, ...reconcileToJson(changes, repairs) }, null, 2)}\n`)
      return
    }
    const p = ctx.palette
    const head = dryRun ? "would repair" : "repaired"
    let text =
      repairs.length === 0 ? "no repairs needed\n" : repairs.map((r) => `${head}: ${r.message}\n`).join("")
    const moved = changeText(changes, p)
    if (moved !== "nothing changed\n")
      text += dryRun
        ? moved
            .trimEnd()
            .split("\n")
            .map((l) => `would change: ${l}\n`)
            .join("")
        : moved
    ctx.out(text)
  })
}
