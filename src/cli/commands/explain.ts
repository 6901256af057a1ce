/**
 * `explain PREFIX`: the candidates for a prefix, whether each may be primary
 * and why not, and why the primary is the one it is, from the core's
 * `explain` (computed with the election itself). Eligibility is judged at the
 * wall-clock time of the command, from the presence the server stored.
 */
import { type Explanation, explain as explainElection } from "../../domain/explain.js"
import { isExitRoute } from "../../domain/Prefix.js"
import { RouteIndex } from "../../domain/RouteIndex.js"
import { explanationToJson, verdict } from "../../facade/toJson.js"
import { type CommandRun, withStore } from "../CommandContext.js"
import type { Palette } from "../colour.js"
import { prefixArg } from "../prefixArg.js"
import { isoSeconds } from "../routeOutput.js"
import { renderTable } from "../table.js"

/** The text form: a headline, the candidates, and the verdict. @category getters */
export const explanationText = (e: Explanation, exit: boolean, p: Palette): string => {
  const primary = e.candidates.find((c) => c.route.id === e.primary)
  const head = exit
    ? "exit route, not elected"
    : primary === undefined
      ? "no primary"
      : `primary ${p.green(`${primary.route.nodeId} (route ${primary.route.id})`)}`
  let text = `${p.bold(e.prefix)}: ${head}\n`
  if (e.candidates.length > 0) {
    const rows = e.candidates.map((c) => [
      String(c.route.id),
      c.route.nodeId,
      String(c.route.priority),
      isoSeconds(c.route.createdAt),
      c.eligibility.eligible ? p.green(c.text) : p.yellow(c.text),
    ])
    const table = renderTable(
      [
        { header: "ROUTE", align: "right" },
        { header: "NODE" },
        { header: "PRIORITY", align: "right" },
        { header: "CREATED" },
        { header: "STANDING" },
      ],
      rows,
      p.bold,
    )
    text += `\n${table}\n`
  }
  return `${text}${verdict(e)
    .map((v) => `why: ${v}\n`)
    .join("")}`
}

/** `explain PREFIX`. @category constructors */
export const explain: CommandRun = async (ctx) => {
  const prefix = prefixArg(ctx.args[0]!, ctx.command.name)
  await withStore(ctx, false, async (session) => {
    const index = RouteIndex.from(await session.snapshot())
    const e = explainElection(index, prefix.text, ctx.io.now(), ctx.routeOptions)
    const exit = isExitRoute(prefix)
    ctx.out(
      ctx.json ? `${JSON.stringify(explanationToJson(e), null, 2)}\n` : explanationText(e, exit, ctx.palette),
    )
  })
}
