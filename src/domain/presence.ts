/**
 * Presence arithmetic: sessions are held per replica, and a node is online
 * while any replica holds one. Several manager processes share a store; each
 * opens and closes only its own sessions, and a replica that dies (its lease
 * lapses) has its sessions dropped by whoever notices, as of the lapse.
 */
import type { Presence, ReplicaId } from "./Node.js"

/** One more session held by `replica` at `now`; the first session of all brings the node online. @category constructors */
export const openSession = (p: Presence, replica: ReplicaId, now: number): Presence => {
  const replicas = { ...p.replicas, [replica]: (p.replicas[replica] ?? 0) + 1 }
  return p.sessions > 0
    ? { ...p, sessions: p.sessions + 1, replicas, lastSeen: now }
    : { sessions: 1, replicas, connectedAt: now, lastSeen: now, disconnectedAt: null }
}

/**
 * One session fewer for `replica` at `now`; null when that replica holds none
 * (a close from before a restart, or for a session another replica holds).
 * The last session of all starts the grace window.
 *
 * @category constructors
 */
export const closeSession = (p: Presence, replica: ReplicaId, now: number): Presence | null => {
  const held = p.replicas[replica] ?? 0
  if (held === 0) return null
  if (p.sessions === 1) return { ...offlineSince(now), lastSeen: now }
  const replicas = { ...p.replicas }
  if (held === 1) delete replicas[replica]
  else replicas[replica] = held - 1
  return { ...p, sessions: p.sessions - 1, replicas, lastSeen: now }
}

/**
 * When a holder's sessions ended, or null while they stand: a replica whose
 * lease lapsed, or this replica's own sessions from an earlier run.
 *
 * @category models
 */
export type HolderEnd = (replica: ReplicaId) => number | null

/**
 * Drops every session whose holder has ended; null when none has. A node
 * left with no session went offline when the last of its dropped holders
 * ended: its grace window starts then.
 *
 * @category constructors
 */
export const dropEndedHolders = (p: Presence, ended: HolderEnd): Presence | null => {
  let dropped = 0
  let at = Number.NEGATIVE_INFINITY
  const replicas: Record<ReplicaId, number> = {}
  for (const [replica, n] of Object.entries(p.replicas)) {
    const end = ended(replica)
    if (end === null) replicas[replica] = n
    else {
      dropped += n
      if (end > at) at = end
    }
  }
  if (dropped === 0) return null
  return dropped < p.sessions
    ? { ...p, sessions: p.sessions - dropped, replicas }
    : { ...offlineSince(at), lastSeen: p.lastSeen }
}

const offlineSince = (at: number): Presence => ({
  sessions: 0,
  replicas: {},
  connectedAt: null,
  lastSeen: null,
  disconnectedAt: at,
})
