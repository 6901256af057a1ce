/**
 * `nodes list`: every live node with its user, tags, presence (online or
 * offline, since when), key expiry and route count, so the numeric ids an
 * import leaves in `routes list` can be told apart. Judged at wall-clock now.
 */
import type { Node } from "../../domain/Node.js"
import { type NodeSummaryJson, nodeSummaryToJson } from "../../facade/toJson.js"
import { type CommandRun, withStore } from "../CommandContext.js"
import type { Palette } from "../colour.js"
import { isoSeconds } from "../routeOutput.js"
import { renderTable } from "../table.js"

/** Live nodes by id, each with its presence and live route count, at `now`. @category constructors */
export const nodeSummaries = (
  nodes: ReadonlyArray<Node>,
  routes: ReadonlyArray<{ readonly nodeId: string; readonly deletedAt: number | null }>,
  now: number,
): NodeSummaryJson[] => {
  const counts = new Map<string, number>()
  for (const r of routes) if (r.deletedAt === null) counts.set(r.nodeId, (counts.get(r.nodeId) ?? 0) + 1)
  return nodes
    .filter((n) => n.deletedAt === null)
    .slice()
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((n) => nodeSummaryToJson(n, counts.get(n.id) ?? 0, now))
}

const presence = (s: NodeSummaryJson, p: Palette): string =>
  s.since === null
    ? p.dim("never connected")
    : s.online
      ? p.green(`online since ${isoSeconds(s.since)}`)
      : p.yellow(`offline since ${isoSeconds(s.since)}`)

const expiry = (s: NodeSummaryJson, p: Palette): string =>
  s.node.expiresAt === null
    ? "never"
    : s.expired
      ? p.red(`expired ${isoSeconds(s.node.expiresAt)}`)
      : isoSeconds(s.node.expiresAt)

/** The table: id, user, tags, status, expiry, routes. @category constructors */
export const nodeTable = (summaries: ReadonlyArray<NodeSummaryJson>, p: Palette): string =>
  renderTable(
    [
      { header: "ID" },
      { header: "USER" },
      { header: "TAGS" },
      { header: "STATUS" },
      { header: "EXPIRES" },
      { header: "ROUTES", align: "right" },
    ],
    summaries.map((s) => [
      s.node.id,
      s.node.user === "" ? "-" : s.node.user,
      s.node.tags.length === 0 ? "-" : s.node.tags.join(","),
      presence(s, p),
      expiry(s, p),
      String(s.routes),
    ]),
    p.bold,
  )

/** `nodes list`. @category constructors */
export const nodesList: CommandRun = async (ctx) => {
  await withStore(ctx, false, async (session) => {
    const { nodes, routes } = await session.snapshot()
    const summaries = nodeSummaries(nodes, routes, ctx.io.now())
    if (ctx.json) ctx.out(`${JSON.stringify(summaries, null, 2)}\n`)
    else if (summaries.length === 0) ctx.out("no nodes\n")
    else ctx.out(nodeTable(summaries, ctx.palette))
  })
}
