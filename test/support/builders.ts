/**
 * The one set of test builders for domain values: a node, a route row, a
 * presence, and change sets of them. Each builder fills every field with a
 * plain default and takes the fields a test cares about as overrides, so a
 * test states only what it means.
 */
import type { Change, ChangeSet } from "../../src/domain/ChangeSet.js"
import { emptyChangeSet } from "../../src/domain/ChangeSet.js"
import { type Node, offline, type Presence } from "../../src/domain/Node.js"
import { parsePrefixUnsafe } from "../../src/domain/Prefix.js"
import type { Route } from "../../src/domain/Route.js"

/** A live, untagged, non-ephemeral node of alice@, created at 1 000, never connected. */
export const node = (id: string, over: Partial<Node> = {}): Node => ({
  id,
  user: "alice@",
  tags: [],
  ephemeral: false,
  createdAt: 1_000,
  expiresAt: null,
  presence: offline,
  deletedAt: null,
  ...over,
})

/** A live row, advertised and enabled by hand, not primary, healthy, priority 0, created at 1 000 + id. */
export const route = (id: number, nodeId: string, prefix: string, over: Partial<Route> = {}): Route => ({
  id,
  nodeId,
  prefix: parsePrefixUnsafe(prefix),
  advertised: true,
  enabled: true,
  isPrimary: false,
  approvedBy: "manual",
  priority: 0,
  healthy: true,
  createdAt: 1_000 + id,
  updatedAt: 1_000 + id,
  deletedAt: null,
  ...over,
})

/** Online with `sessions` sessions held by the anonymous replica, connected (and last seen) at `at`. */
export const online = (at: number, sessions = 1): Presence => ({
  sessions,
  replicas: { "": sessions },
  connectedAt: at,
  lastSeen: at,
  disconnectedAt: null,
})

/** Offline since `at` (the last session ended then; the grace window starts there). */
export const offlineSince = (at: number): Presence => ({
  sessions: 0,
  replicas: {},
  connectedAt: null,
  lastSeen: at,
  disconnectedAt: at,
})

/** A row created by a change. */
export const create = <A>(after: A): Change<A> => ({ before: null, after })

/** A row rewritten by a change: `before` with `patch` applied. */
export const update = <A>(before: A, patch: Partial<A>): Change<A> => ({
  before,
  after: { ...before, ...patch },
})

/** A change set leaving the counter at `nextRouteId`, empty but for `parts`. */
export const changeSet = (nextRouteId: number, parts: Partial<ChangeSet> = {}): ChangeSet => ({
  ...emptyChangeSet(nextRouteId),
  ...parts,
})
