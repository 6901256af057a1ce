/**
 * The change log's payload and rules, shared by every adapter: a committed
 * change set as compact JSON (rows as the column tuples the tables use, so
 * one mapping serves both), the page a reader gets, and when to prune.
 */
import type { Change, ChangeSet } from "../../domain/ChangeSet.js"
import type { Node } from "../../domain/Node.js"
import type { Route } from "../../domain/Route.js"
import type { LogEntry, LogPage, LogRetention } from "../../ports/RouteRepository.js"
import { nodeValues, routeValues, rowReader } from "./rows.js"

const bit = (b: boolean): number => (b ? 1 : 0)

type Pair = readonly [ReadonlyArray<unknown> | null, ReadonlyArray<unknown>]

interface Payload {
  readonly n: ReadonlyArray<Pair>
  readonly r: ReadonlyArray<Pair>
  readonly p: ChangeSet["primaries"]
  readonly ap: ChangeSet["affectedPrefixes"]
  readonly an: ChangeSet["affectedNodes"]
  readonly rj: ChangeSet["rejected"]
  readonly pol: ChangeSet["policy"]
  readonly next: number
}

const pairs = <A>(changes: ReadonlyArray<Change<A>>, values: (a: A) => ReadonlyArray<unknown>): Pair[] =>
  changes.map((c) => [c.before === null ? null : values(c.before), values(c.after)] as const)

const nodeTuple = (n: Node) => nodeValues(n, bit)
const routeTuple = (r: Route) => routeValues(r, bit)

/** The change set as log text; null when it holds more rows than `maxRows` (readers then reload). */
export const encodeChanges = (cs: ChangeSet, maxRows: number): string | null => {
  if (cs.nodes.length + cs.routes.length > maxRows) return null
  const payload: Payload = {
    n: pairs(cs.nodes, nodeTuple),
    r: pairs(cs.routes, routeTuple),
    p: cs.primaries,
    ap: cs.affectedPrefixes,
    an: cs.affectedNodes,
    rj: cs.rejected,
    pol: cs.policy,
    next: cs.nextRouteId,
  }
  return JSON.stringify(payload)
}

/** Log text back to the change set it was made from. */
export const decodeChanges = (text: string): ChangeSet => {
  const payload = JSON.parse(text) as Payload
  const read = rowReader()
  const change = <A>(pair: Pair, f: (v: ReadonlyArray<unknown>) => A): Change<A> => ({
    before: pair[0] === null ? null : f(pair[0]),
    after: f(pair[1]),
  })
  return {
    nodes: payload.n.map((p) => change(p, read.nodeTuple)),
    routes: payload.r.map((p) => change(p, read.routeTuple)),
    primaries: payload.p,
    affectedPrefixes: payload.ap,
    affectedNodes: payload.an,
    rejected: payload.rj,
    policy: payload.pol,
    nextRouteId: payload.next,
  }
}

/** A stored log row, as the SQL adapters read it. */
export interface LogRow {
  readonly version: unknown
  readonly origin: string
  readonly committed_at: unknown
  readonly changes: string | null
}

/** Stored log row → entry. */
export const logEntry = (row: LogRow): LogEntry => ({
  version: Number(row.version),
  origin: row.origin,
  committedAt: Number(row.committed_at),
  changes: row.changes === null ? null : decodeChanges(row.changes),
})

/**
 * The page for a reader at `after`: a gap when the entry right above it is
 * gone (pruned) while the head is past it.
 */
export const logPage = (after: number, head: number, entries: ReadonlyArray<LogEntry>): LogPage => ({
  entries,
  head,
  gap: head > after && (entries.length === 0 || entries[0]!.version !== after + 1),
})

/** Prune on every this many versions, not on each commit: a prune is a range delete. */
const pruneEvery = 256

/**
 * Whether the commit making `version` also prunes, and the newest version the
 * prune may remove (entries older than `minAgeMs` are removed up to it).
 */
export const pruneBound = (version: number, retention: LogRetention): number | null =>
  version % pruneEvery === 0 && version > retention.minEntries ? version - retention.minEntries : null
