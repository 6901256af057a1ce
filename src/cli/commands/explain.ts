/**
 * `explain PREFIX`: the candidates for a prefix, whether each may be primary
 * and why not, and why the primary is the one it is, from the core's
 * `explain` (computed with the election itself). Eligibility is judged at the
 * wall-clock time of the command, from the presence the server stored.
 */
import { type Explanation, explain as explainElection } from "../../domain/explain.js"
import { isExitRoute } from "../../domain/Prefix.js"
import { RouteIndex } from "../../domain/RouteIndex.js"
import { type CommandRun, withStore } from "../CommandContext.js"
import type { Palette } from "../colour.js"
import { prefixArg } from "../prefixArg.js"
import { isoSeconds, type RouteJson, routeJson } from "../routeOutput.js"
import { renderTable } from "../table.js"

/** The JSON shape of `explain --json`. @category models */
export interface ExplanationJson {
  readonly prefix: string
  /** The primary the election picks now. */
  readonly primary: number | null
  /** The primary the store flags (differs only while a re-election is due). */
  readonly storedPrimary: number | null
  readonly candidates: ReadonlyArray<{
    readonly route: RouteJson
    readonly eligible: boolean
    readonly status: "primary" | "standby" | "ineligible"
    readonly text: string
  }>
  readonly verdict: ReadonlyArray<string>
}

/** Sentences under the table: why the primary is primary, or why there is none. @category getters */
export const verdict = (e: Explanation, exit: boolean): ReadonlyArray<string> => {
  if (e.candidates.length === 0) return [`no node advertises ${e.prefix}`]
  if (exit) {
    const serving = e.candidates
      .filter((c) => c.route.advertised && c.route.enabled)
      .map((c) => c.route.nodeId)
    return [
      "exit routes are not elected: every node with its exit pair advertised and enabled serves them",
      serving.length === 0 ? "no node serves it now" : `served by: ${serving.join(", ")}`,
    ]
  }
  const out: string[] = []
  const primary = e.candidates.find((c) => c.route.id === e.primary)
  if (primary === undefined) out.push("no primary: no route is eligible")
  else out.push(`route ${primary.route.id} on ${primary.route.nodeId} is ${primary.text}`)
  if (e.storedPrimary !== e.primary) {
    out.push(
      `the store still flags ${e.storedPrimary === null ? "no primary" : `route ${e.storedPrimary}`}: a re-election is due (the server's next tick, or 'tailnet-routes reconcile')`,
    )
  }
  return out
}

/** @category constructors */
export const explanationJson = (e: Explanation, exit: boolean): ExplanationJson => ({
  prefix: e.prefix,
  primary: e.primary,
  storedPrimary: e.storedPrimary,
  candidates: e.candidates.map((c) => ({
    route: routeJson(c.route),
    eligible: c.eligibility.eligible,
    status: c.status._tag === "Primary" ? "primary" : c.status._tag === "Standby" ? "standby" : "ineligible",
    text: c.text,
  })),
  verdict: verdict(e, exit),
})

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
  return `${text}${verdict(e, exit)
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
      ctx.json
        ? `${JSON.stringify(explanationJson(e, exit), null, 2)}\n`
        : explanationText(e, exit, ctx.palette),
    )
  })
}
