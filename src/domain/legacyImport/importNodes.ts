/** Headscale machines/nodes → our Node records (new ones start disconnected at `now`). */
import type { Node, NodeId } from "../Node.js"
import type { RouteView } from "../RouteView.js"
import type { HeadscaleDump, HeadscaleNode } from "./HeadscaleDump.js"
import { parseHeadscaleTime } from "./headscaleTime.js"
import type { Findings, SourceNode } from "./internal/findings.js"
import { listColumn } from "./internal/jsonColumns.js"

/**
 * A Headscale user as a policy names it: bare names become `name@` (the
 * approver `alice@` matches Headscale user `alice`); a name that already holds
 * an `@` (an e-mail from OIDC) is kept as it is.
 *
 * @category constructors
 */
export const policyUser = (name: string): string => (name.includes("@") ? name : `${name}@`)

const tagsOf = (n: HeadscaleNode, nodeId: NodeId, findings: Findings): ReadonlyArray<string> => {
  const list = listColumn(n.tags)
  if (list._tag === "Malformed") {
    findings.malformed.push({ nodeId, column: "tags", ...list.problem })
    return []
  }
  const tags: Array<string> = []
  for (const t of list.items) if (typeof t === "string" && t !== "" && !tags.includes(t)) tags.push(t)
  return tags
}

/**
 * The live source nodes by id, in source order. A node already in the target
 * is used as it is (the import never rewrites target records); a new one gets
 * Headscale's user, tags, ephemeral flag, times, and a presence that says
 * "disconnected at `now`", so the election gives it one grace window.
 *
 * @category constructors
 */
export const importNodes = (
  dump: HeadscaleDump,
  existing: RouteView,
  now: number,
  findings: Findings,
): Map<NodeId, SourceNode> => {
  const users = new Map<number, string>()
  for (const u of dump.users) users.set(u.id, u.name)
  const out = new Map<NodeId, SourceNode>()
  for (const n of dump.nodes) {
    const id = String(n.id)
    if (n.deletedAt !== null && parseHeadscaleTime(n.deletedAt) !== null) {
      findings.skippedDeleted.push(id)
      continue
    }
    const source = { hostInfo: n.hostInfo, routeList: n.routeList }
    const present = existing.node(id)
    if (present !== undefined) {
      findings.alreadyPresent.push(id)
      out.set(id, { node: present, isNew: false, ...source })
      continue
    }
    const userName = n.userId === null ? undefined : users.get(n.userId)
    if (userName === undefined) findings.unknownUser.push({ nodeId: id, userId: n.userId })
    const node: Node = {
      id,
      user: userName === undefined ? "" : policyUser(userName),
      tags: tagsOf(n, id, findings),
      // Unknown (no auth key, or the key is gone) reads as not ephemeral: GC never deletes it.
      ephemeral: n.ephemeral === true,
      createdAt: parseHeadscaleTime(n.createdAt) ?? now,
      expiresAt: parseHeadscaleTime(n.expiry),
      presence: {
        sessions: 0,
        replicas: {},
        connectedAt: null,
        lastSeen: parseHeadscaleTime(n.lastSeen),
        disconnectedAt: now,
      },
      deletedAt: null,
    }
    findings.imported.push(id)
    out.set(id, { node, isNew: true, ...source })
  }
  return out
}
