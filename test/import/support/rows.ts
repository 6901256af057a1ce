/** Hand-written expected records, compactly. */
import type { Node } from "../../../src/domain/Node.js"
import { parsePrefixUnsafe } from "../../../src/domain/Prefix.js"
import type { ApprovedBy, Route } from "../../../src/domain/Route.js"

/** The instant every import test runs at: 2025-07-01T00:00:00Z. */
export const NOW = Date.UTC(2025, 6, 1)

const t = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso))

/** An imported node: disconnected at NOW, never connected through us. */
export const importedNode = (
  id: string,
  user: string,
  createdIso: string,
  lastSeenIso: string | null,
  extra: Partial<Pick<Node, "tags" | "ephemeral" | "expiresAt">> = {},
): Node => ({
  id,
  user,
  tags: extra.tags ?? [],
  ephemeral: extra.ephemeral ?? false,
  createdAt: t(createdIso)!,
  expiresAt: extra.expiresAt ?? null,
  presence: { sessions: 0, replicas: {}, connectedAt: null, lastSeen: t(lastSeenIso), disconnectedAt: NOW },
  deletedAt: null,
})

/** An imported route row: `flags` is "A" advertised, "E" enabled, "P" primary. */
export const importedRoute = (
  id: number,
  nodeId: string,
  prefix: string,
  flags: string,
  approvedBy: ApprovedBy | null,
  createdIso: string,
): Route => ({
  id,
  nodeId,
  prefix: parsePrefixUnsafe(prefix),
  advertised: flags.includes("A"),
  enabled: flags.includes("E"),
  isPrimary: flags.includes("P"),
  approvedBy,
  priority: 0,
  healthy: true,
  createdAt: t(createdIso)!,
  updatedAt: NOW,
  deletedAt: null,
})
