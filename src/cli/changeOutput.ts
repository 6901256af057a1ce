/** What a write command prints: each route it changed and each primary that moved, as text or JSON (`ChangeJson`). */
import type { ChangeSet } from "../domain/ChangeSet.js"
import type { Route } from "../domain/Route.js"
import { changeToJson } from "../facade/toJson.js"
import type { CommandContext } from "./CommandContext.js"
import type { Palette } from "./colour.js"

/** The fields that changed, in words: `enabled`, `priority 0 → 10`, `deleted`. @category getters */
export const routeDelta = (before: Route | null, after: Route): string => {
  if (before === null) return "created"
  if (after.deletedAt !== null && before.deletedAt === null) return "deleted"
  const parts: string[] = []
  if (before.advertised !== after.advertised) parts.push(after.advertised ? "advertised" : "withdrawn")
  if (before.enabled !== after.enabled) {
    parts.push(
      after.enabled ? `enabled${after.approvedBy === null ? "" : ` (${after.approvedBy})`}` : "disabled",
    )
  } else if (before.approvedBy !== after.approvedBy) {
    parts.push(`approval ${before.approvedBy ?? "none"} → ${after.approvedBy ?? "none"}`)
  }
  if (before.priority !== after.priority) parts.push(`priority ${before.priority} → ${after.priority}`)
  if (before.isPrimary !== after.isPrimary) parts.push(after.isPrimary ? "now primary" : "no longer primary")
  if (before.healthy !== after.healthy) parts.push(after.healthy ? "healthy" : "unhealthy")
  return parts.length === 0 ? "updated" : parts.join(", ")
}

const who = (id: number | null, routes: (id: number) => Route | undefined): string => {
  if (id === null) return "none"
  const r = routes(id)
  return r === undefined ? `route ${id}` : `${r.nodeId} (route ${id})`
}

/**
 * Text lines for a change set: `policy replaced` when it did, one per
 * changed route (unless only its primary flag moved), one per primary move;
 * or `nothing changed`.
 *
 * @category constructors
 */
export const changeText = (c: ChangeSet, p: Palette): string => {
  if (c.routes.length === 0 && c.primaries.length === 0 && c.policy === null && c.nodes.length === 0) {
    return "nothing changed\n"
  }
  const after = new Map<number, Route>()
  for (const r of c.routes) after.set(r.after.id, r.after)
  // A route whose only change is its primary flag is told by the primary line.
  const lines: string[] = c.policy === null ? [] : ["policy replaced"]
  for (const r of c.routes) {
    const onlyPrimary =
      r.before !== null && routeDelta(r.before, { ...r.after, isPrimary: r.before.isPrimary }) === "updated"
    if (onlyPrimary) continue
    lines.push(
      `route ${r.after.id} ${r.after.prefix.text} on ${r.after.nodeId}: ${routeDelta(r.before, r.after)}`,
    )
  }
  const find = (id: number): Route | undefined => after.get(id)
  for (const m of c.primaries) {
    lines.push(`${p.bold(m.prefix)}: primary ${who(m.before, find)} → ${p.green(who(m.after, find))}`)
  }
  return lines.length === 0 ? "nothing changed\n" : `${lines.join("\n")}\n`
}

/** Prints the result of a write command as text, or as the library's change JSON. @category constructors */
export const printChanges = (ctx: CommandContext, changes: ChangeSet): void => {
  ctx.out(ctx.json ? `${JSON.stringify(changeToJson(changes), null, 2)}\n` : changeText(changes, ctx.palette))
}
