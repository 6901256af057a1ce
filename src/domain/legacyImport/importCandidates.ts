/**
 * The routes each era stores → one candidate per (node, prefix): advertised,
 * enabled, stored-primary flags as Headscale knew them, before our rules
 * (withdrawal, policy, exit pairs, election) are applied.
 */
import type { NodeId } from "../Node.js"
import type { Prefix } from "../Prefix.js"
import type { HeadscaleDump, HeadscaleRoute } from "./HeadscaleDump.js"
import { parseHeadscaleTime } from "./headscaleTime.js"
import { CandidateTable, DuplicateLog, type Findings, type SourceNode } from "./internal/findings.js"
import { hostinfoRoutes, listColumn } from "./internal/jsonColumns.js"
import { readPrefix } from "./internal/readPrefix.js"

// A deleted target node takes no new rows (a deleted node has no live routes).
const usable = (nodes: ReadonlyMap<NodeId, SourceNode>, id: NodeId): boolean => {
  const n = nodes.get(id)
  return n !== undefined && n.node.deletedAt === null
}

const fromRoutesTable = (
  routes: ReadonlyArray<HeadscaleRoute>,
  nodes: ReadonlyMap<NodeId, SourceNode>,
  deletedNodes: ReadonlySet<NodeId>,
  findings: Findings,
  table: CandidateTable,
): void => {
  const dups = new DuplicateLog()
  for (const r of routes) {
    const row = `routes#${r.id}`
    const nodeId = r.nodeId === null ? null : String(r.nodeId)
    if (r.deletedAt !== null && parseHeadscaleTime(r.deletedAt) !== null) {
      findings.routesDeleted.push({ row, nodeId, prefix: r.prefix })
      continue
    }
    if (nodeId === null || !usable(nodes, nodeId)) {
      const deleted = nodeId !== null && (deletedNodes.has(nodeId) || nodes.has(nodeId))
      findings.orphans.push({ row, nodeId, prefix: r.prefix, reason: deleted ? "NodeDeleted" : "NoSuchNode" })
      continue
    }
    const prefix = readPrefix(r.prefix, nodeId, row, findings)
    if (prefix === undefined) continue
    const createdAt = parseHeadscaleTime(r.createdAt) ?? nodes.get(nodeId)!.node.createdAt
    // NULL flags: advertised unknown reads as true (like an unknown Hostinfo), approval as absent.
    const advertised = r.advertised ?? true
    const enabled = r.enabled ?? false
    const primary = r.isPrimary ?? false
    const seen = table.get(nodeId, prefix)
    if (dups.note(nodeId, prefix.text, row) && seen !== undefined) {
      // Lose nothing: the collapsed row keeps whatever any duplicate knew.
      seen.advertised ||= advertised
      seen.enabled ||= enabled
      seen.storedPrimary ||= primary
      seen.createdAt = Math.min(seen.createdAt, createdAt)
      continue
    }
    table.add({
      nodeId,
      prefix,
      row,
      advertised,
      enabled,
      approvedBy: enabled ? "migration" : null,
      storedPrimary: primary,
      createdAt,
    })
  }
  dups.into(findings.duplicates)
}

const fromLists = (
  column: "enabled_routes" | "approved_routes",
  nodes: ReadonlyMap<NodeId, SourceNode>,
  findings: Findings,
  table: CandidateTable,
): void => {
  const dups = new DuplicateLog()
  const advertisedDups = new DuplicateLog()
  for (const [nodeId, source] of nodes) {
    if (!usable(nodes, nodeId)) continue
    const createdAt = source.node.createdAt
    // The advertised set first, so each enabled element knows whether it is still advertised.
    const hi = hostinfoRoutes(source.hostInfo)
    const advertised = new Map<string, { prefix: Prefix; row: string }>()
    if (hi._tag === "Malformed") findings.malformed.push({ nodeId, column: "host_info", ...hi.problem })
    if (hi._tag === "Known") {
      hi.items.forEach((item, i) => {
        const row = `host_info.RoutableIPs[${i}]`
        const p = readPrefix(item, nodeId, row, findings)
        if (p !== undefined && !advertisedDups.note(nodeId, p.text, row))
          advertised.set(p.text, { prefix: p, row })
      })
    }
    const known = hi._tag === "Known"
    const list = listColumn(source.routeList)
    if (list._tag === "Malformed") findings.malformed.push({ nodeId, column, ...list.problem })
    const items = list._tag === "List" ? list.items : []
    items.forEach((item, i) => {
      const row = `${column}[${i}]`
      const p = readPrefix(item, nodeId, row, findings)
      if (p === undefined || dups.note(nodeId, p.text, row)) return
      table.add({
        nodeId,
        prefix: p,
        row,
        advertised: known ? advertised.has(p.text) : true,
        enabled: true,
        approvedBy: "migration",
        storedPrimary: false,
        createdAt,
      })
    })
    for (const { prefix, row } of advertised.values()) {
      if (table.get(nodeId, prefix) !== undefined) continue
      table.add({
        nodeId,
        prefix,
        row,
        advertised: true,
        enabled: false,
        approvedBy: null,
        storedPrimary: false,
        createdAt,
      })
    }
  }
  dups.into(findings.duplicates)
  advertisedDups.into(findings.duplicates)
}

/**
 * Candidates of every live source node, in source order: routes-table rows
 * by id; in the list eras, node by node, the enabled/approved list then the
 * advertised-only prefixes. Orphans, invalid prefixes and duplicates are
 * skipped and recorded in `findings`.
 *
 * @category constructors
 */
export const importCandidates = (
  dump: HeadscaleDump,
  nodes: ReadonlyMap<NodeId, SourceNode>,
  findings: Findings,
): CandidateTable => {
  const table = new CandidateTable()
  if (dump.era === "0.18-0.25") {
    fromRoutesTable(dump.routes, nodes, new Set(findings.skippedDeleted), findings, table)
  } else {
    fromLists(dump.era === "0.17" ? "enabled_routes" : "approved_routes", nodes, findings, table)
  }
  return table
}
