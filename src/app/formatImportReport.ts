/** The import report as text, for the CLI (`tailnet-routes migrate --from-headscale`). */
import type { ImportReport } from "../domain/legacyImport/ImportReport.js"

const section = <A>(
  lines: Array<string>,
  title: string,
  items: ReadonlyArray<A>,
  line: (a: A) => string,
): void => {
  lines.push(`${title}: ${items.length}`)
  for (const a of items) lines.push(`  ${line(a)}`)
}

/**
 * Renders every count and every exception of a report, one per line, plus
 * what happened to the target (`written`, dry run, or up to date).
 *
 * @category getters
 */
export const formatImportReport = (
  report: ImportReport,
  outcome: { readonly dryRun: boolean; readonly written: boolean },
): string => {
  const n = report.nodes
  const r = report.routes
  const lines: Array<string> = [
    `Headscale era detected: ${report.era}`,
    `Nodes: ${n.read} read, ${n.imported.length} imported, ${n.alreadyPresent.length} already present, ${n.skippedDeleted.length} deleted in Headscale (skipped)`,
  ]
  if (n.skippedDeleted.length > 0) lines.push(`  deleted in Headscale: ${n.skippedDeleted.join(", ")}`)
  for (const u of n.unknownUser)
    lines.push(`  node ${u.nodeId}: user ${u.userId ?? "NULL"} not found; imported with no user`)
  lines.push(
    `Routes: ${r.imported} imported, ${r.alreadyPresent.length} already present, ${r.skippedDeleted.length} deleted in Headscale (skipped)`,
  )
  for (const d of r.skippedDeleted)
    lines.push(`  deleted in Headscale: ${d.row} ${d.prefix ?? "(no prefix)"} (node ${d.nodeId ?? "NULL"})`)
  section(
    lines,
    "Duplicates collapsed",
    report.duplicates,
    (d) => `node ${d.nodeId} ${d.prefix}: kept ${d.kept}, collapsed ${d.collapsed.join(", ")}`,
  )
  section(
    lines,
    "Orphans skipped",
    report.orphans,
    (o) =>
      `${o.row} ${o.prefix ?? "(no prefix)"}: node ${o.nodeId ?? "NULL"} ${o.reason === "NodeDeleted" ? "is deleted" : "does not exist"}`,
  )
  section(
    lines,
    "Invalid prefixes skipped",
    report.invalidPrefixes,
    (i) => `node ${i.nodeId ?? "NULL"} ${i.row}: ${i.reason}`,
  )
  section(
    lines,
    "Host bits masked",
    report.maskedPrefixes,
    (m) => `node ${m.nodeId} ${m.row}: ${m.input} → ${m.prefix}`,
  )
  section(lines, "Unreadable columns", report.malformed, (m) => `node ${m.nodeId} ${m.column}: ${m.reason}`)
  section(
    lines,
    "Approved by the target's autoApprovers",
    report.approvals.byPolicy,
    (a) => `node ${a.nodeId} ${a.prefix}`,
  )
  section(
    lines,
    "Approvals dropped (no longer advertised)",
    report.approvals.droppedNotAdvertised,
    (a) => `node ${a.nodeId} ${a.prefix}`,
  )
  section(
    lines,
    "Exit pairs completed",
    report.exitPairs.completed,
    (e) => `node ${e.nodeId}: ${e.enabled} was enabled, ${e.added} enabled with it`,
  )
  section(
    lines,
    "Exit pairs left half (imported disabled)",
    report.exitPairs.leftHalf,
    (e) => `node ${e.nodeId}: ${e.enabled} enabled, ${e.missing} not advertised`,
  )
  const p = report.primaries
  lines.push(
    `Primaries: ${p.kept.length} kept, ${p.dropped.length} stored primaries dropped, ${p.elected.length} elected`,
  )
  for (const k of p.kept) lines.push(`  kept ${k.prefix}: node ${k.nodeId} (route ${k.routeId})`)
  for (const d of p.dropped) lines.push(`  dropped ${d.prefix}: node ${d.nodeId} ${d.row} (${d.reason})`)
  for (const e of p.elected) lines.push(`  elected ${e.prefix}: node ${e.nodeId} (route ${e.routeId})`)
  lines.push(
    outcome.dryRun
      ? "Dry run: nothing written."
      : report.upToDate
        ? "Up to date: nothing to write."
        : outcome.written
          ? "Written."
          : "Not written.",
  )
  return `${lines.join("\n")}\n`
}
