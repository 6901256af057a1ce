/** A node (machine) of the tailnet, as far as routing cares. */

/** @category models */
export type NodeId = string

/**
 * The manager process a session is held by (its `replicaId`); `""` is the
 * anonymous holder: sessions opened through the pure core without a replica,
 * and sessions stored before replicas existed. No lease ever covers it.
 *
 * @category models
 */
export type ReplicaId = string

/**
 * Connection state. A node is online while `sessions > 0`. A node that has
 * never connected, or whose last session ended at `disconnectedAt`, is offline;
 * the election ignores a disconnect until the grace period has passed.
 *
 * @category models
 */
export interface Presence {
  /** Open sessions in all: the sum of `replicas`. */
  readonly sessions: number
  /** Open sessions per holding replica (only positive counts; `{}` while offline). */
  readonly replicas: Readonly<Record<ReplicaId, number>>
  /** When the current run of sessions began (the first connect after being offline); null while offline. */
  readonly connectedAt: number | null
  readonly lastSeen: number | null
  /** When the last session ended; null while online or before the first connect. */
  readonly disconnectedAt: number | null
}

/** @category models */
export interface Node {
  readonly id: NodeId
  /** Owner, written the way a policy names users: `alice@` or `alice@example.com`. */
  readonly user: string
  /** ACL tags, `tag:name`. A tagged node is approved only through tag approvers. */
  readonly tags: ReadonlyArray<string>
  readonly ephemeral: boolean
  /** Epoch milliseconds. */
  readonly createdAt: number
  /** Epoch milliseconds; null when the node key never expires. */
  readonly expiresAt: number | null
  readonly presence: Presence
  /** Soft delete: a deleted node keeps its record so its soft-deleted routes still reference it. */
  readonly deletedAt: number | null
}

/** @category constructors */
export const offline: Presence = {
  sessions: 0,
  replicas: {},
  connectedAt: null,
  lastSeen: null,
  disconnectedAt: null,
}

/** The same holders with the same counts. @category predicates */
export const sameHolders = (a: Presence["replicas"], b: Presence["replicas"]): boolean => {
  if (a === b) return true
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  for (const k of keys) if (a[k] !== b[k]) return false
  return true
}

/** Equal in every field (tags in order: they are stored sorted). @category predicates */
export const sameNode = (a: Node, b: Node): boolean => {
  if (
    a.id !== b.id ||
    a.user !== b.user ||
    a.ephemeral !== b.ephemeral ||
    a.createdAt !== b.createdAt ||
    a.expiresAt !== b.expiresAt ||
    a.deletedAt !== b.deletedAt ||
    a.presence.sessions !== b.presence.sessions ||
    a.presence.connectedAt !== b.presence.connectedAt ||
    a.presence.lastSeen !== b.presence.lastSeen ||
    a.presence.disconnectedAt !== b.presence.disconnectedAt ||
    a.tags.length !== b.tags.length ||
    !sameHolders(a.presence.replicas, b.presence.replicas)
  ) {
    return false
  }
  for (let i = 0; i < a.tags.length; i++) if (a.tags[i] !== b.tags[i]) return false
  return true
}
