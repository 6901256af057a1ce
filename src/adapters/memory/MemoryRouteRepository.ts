/**
 * The in-memory repository: Maps plus the indexes the SQL adapters get from
 * their databases, with the same compare-and-set and constraint checks in the
 * same order, and an undo log so a failing change set leaves nothing behind.
 */
import { Effect, Layer, PubSub, Stream } from "effect"
import { type ChangeSet, isEmpty } from "../../domain/ChangeSet.js"
import type { Node, NodeId, ReplicaId } from "../../domain/Node.js"
import type { Policy } from "../../domain/Policy.js"
import { isExitRoute } from "../../domain/Prefix.js"
import type { Route, RouteId } from "../../domain/Route.js"
import {
  ConstraintViolation,
  defaultLogRetention,
  type LogEntry,
  type LogRetention,
  type RepositoryError,
  RouteRepository,
  type Snapshot,
  WriteConflict,
} from "../../ports/RouteRepository.js"
import { logPage, pruneBound } from "../internal/changeLog.js"
import { planChangeSet } from "../internal/changePlan.js"
import { byNodeId, byRouteId, nodeEquals, routeEquals } from "../internal/equality.js"

const liveKey = (r: Route): string => `${r.nodeId}\u0000${r.prefix.text}`

/** Settings of the in-memory store. @category models */
export interface MemoryOptions {
  readonly logRetention?: Partial<LogRetention>
}

/** Builds an empty in-memory repository. @category constructors */
export const make = (options: MemoryOptions = {}): Effect.Effect<RouteRepository["Service"]> =>
  Effect.map(PubSub.unbounded<number>(), (commits) =>
    build(commits, { ...defaultLogRetention, ...options.logRetention }),
  )

const build = (commits: PubSub.PubSub<number>, retention: LogRetention): RouteRepository["Service"] => {
  const nodes = new Map<NodeId, Node>()
  const routes = new Map<RouteId, Route>()
  // Indexes over live rows only, as the SQL adapters' partial indexes are.
  const live = new Map<string, RouteId>()
  const primaries = new Map<string, RouteId>()
  let policy: Policy = {}
  let nextRouteId = 1
  let version = 0
  // The change log: `log[i]` holds version `logStart + i`.
  const log: LogEntry[] = []
  let logStart = 1
  const leases = new Map<ReplicaId, number>()

  const unindex = (r: Route): void => {
    if (r.deletedAt !== null) return
    live.delete(liveKey(r))
    if (r.isPrimary && primaries.get(r.prefix.text) === r.id) primaries.delete(r.prefix.text)
  }
  const index = (r: Route): void => {
    if (r.deletedAt !== null) return
    live.set(liveKey(r), r.id)
    if (r.isPrimary && !isExitRoute(r.prefix)) primaries.set(r.prefix.text, r.id)
  }
  const putRoute = (id: RouteId, r: Route | undefined): void => {
    const old = routes.get(id)
    if (old) unindex(old)
    if (r) {
      routes.set(id, r)
      index(r)
    } else routes.delete(id)
  }

  // The checks a database runs on a written row: CHECK, unique indexes, then the foreign key.
  const violation = (r: Route): ConstraintViolation | null => {
    const fail = (constraint: ConstraintViolation["constraint"]) =>
      new ConstraintViolation({ constraint, table: "routes", id: r.id })
    if (r.isPrimary && isExitRoute(r.prefix)) return fail("exit-never-primary")
    if (r.deletedAt === null) {
      const other = live.get(liveKey(r))
      if (other !== undefined && other !== r.id) return fail("live-node-prefix")
      if (r.isPrimary) {
        const primary = primaries.get(r.prefix.text)
        if (primary !== undefined && primary !== r.id) return fail("one-primary-per-prefix")
      }
    }
    if (!nodes.has(r.nodeId)) return fail("route-node-exists")
    return null
  }

  const applySync = (changes: ChangeSet): RepositoryError | null => {
    const plan = planChangeSet(changes)
    if (plan instanceof ConstraintViolation) return plan
    if (plan.counter !== null && plan.counter.expected !== nextRouteId) {
      return new WriteConflict({ table: "meta", id: "nextRouteId", reason: "counter" })
    }
    const nodeUndo: Array<[NodeId, Node | undefined]> = []
    const routeUndo: Array<[RouteId, Route | undefined]> = []
    const savedPolicy = policy
    const savedCounter = nextRouteId
    const rollback = (error: RepositoryError): RepositoryError => {
      for (let i = routeUndo.length - 1; i >= 0; i--) putRoute(routeUndo[i]![0], routeUndo[i]![1])
      for (let i = nodeUndo.length - 1; i >= 0; i--) {
        const [id, n] = nodeUndo[i]!
        if (n) nodes.set(id, n)
        else nodes.delete(id)
      }
      policy = savedPolicy
      nextRouteId = savedCounter
      return error
    }

    if (plan.counter !== null) nextRouteId = plan.counter.next
    for (const { before, after } of plan.nodes) {
      const stored = nodes.get(after.id)
      if (before === null ? stored !== undefined : stored === undefined || !nodeEquals(stored, before)) {
        return rollback(
          new WriteConflict({ table: "nodes", id: after.id, reason: before === null ? "exists" : "stale" }),
        )
      }
      nodeUndo.push([after.id, stored])
      nodes.set(after.id, after)
    }
    for (const group of [plan.clears, plan.promotions]) {
      for (const { before, after } of group) {
        const stored = routes.get(before!.id)
        if (stored === undefined || !routeEquals(stored, before!)) {
          return rollback(new WriteConflict({ table: "routes", id: before!.id, reason: "stale" }))
        }
        if (stored.deletedAt === null && after.deletedAt === null) {
          // Live before and after (a flag or field change): the row keeps its node, prefix and
          // live key, so only the primary index can move. Checked as a database checks an UPDATE.
          const text = after.prefix.text
          const heldPrimary = stored.isPrimary && primaries.get(text) === stored.id
          if (heldPrimary) primaries.delete(text)
          const bad = violation(after)
          if (bad) {
            if (heldPrimary) primaries.set(text, stored.id)
            return rollback(bad)
          }
          routeUndo.push([after.id, stored])
          routes.set(after.id, after)
          if (after.isPrimary && !isExitRoute(text)) primaries.set(text, after.id)
          continue
        }
        // Checked with the stored row out of the indexes, as a database checks an UPDATE.
        unindex(stored)
        const bad = violation(after)
        if (bad) {
          index(stored)
          return rollback(bad)
        }
        routeUndo.push([after.id, stored])
        routes.set(after.id, after)
        index(after)
      }
    }
    for (const route of plan.inserts) {
      if (routes.has(route.id)) {
        return rollback(new WriteConflict({ table: "routes", id: route.id, reason: "exists" }))
      }
      const bad = violation(route)
      if (bad) return rollback(bad)
      routeUndo.push([route.id, undefined])
      putRoute(route.id, route)
    }
    if (plan.policy !== null) policy = plan.policy
    return null
  }

  const append = (changes: ChangeSet, origin: string, at: number): void => {
    version++
    const logged = changes.nodes.length + changes.routes.length > retention.maxRows ? null : changes
    log.push({ version, origin, committedAt: at, changes: logged })
    const bound = pruneBound(version, retention)
    if (bound === null) return
    let drop = 0
    while (
      drop < log.length &&
      log[drop]!.version <= bound &&
      log[drop]!.committedAt < at - retention.minAgeMs
    )
      drop++
    log.splice(0, drop)
    logStart += drop
  }

  return RouteRepository.of({
    loadAll: Effect.sync(
      (): Snapshot => ({
        nodes: Array.from(nodes.values()).sort(byNodeId),
        routes: Array.from(routes.values())
          .filter((r) => r.deletedAt === null)
          .sort(byRouteId),
        policy,
        nextRouteId,
        version,
      }),
    ),
    apply: (changes, info) =>
      Effect.suspend(() => {
        if (isEmpty(changes)) return Effect.succeed(info.base)
        if (info.base !== version) {
          return Effect.fail(new WriteConflict({ table: "meta", id: "version", reason: "behind" }))
        }
        const error = applySync(changes)
        if (error !== null) return Effect.fail(error)
        append(changes, info.origin, info.at)
        PubSub.publishUnsafe(commits, version)
        return Effect.succeed(version)
      }),
    head: Effect.sync(() => version),
    readLog: (after, limit) =>
      Effect.sync(() => {
        const from = Math.max(after + 1 - logStart, 0)
        return logPage(after, version, log.slice(from, from + limit))
      }),
    // Subscribed first, then the head: a commit made before the watcher started is not missed.
    watch: Stream.unwrap(
      Effect.map(PubSub.subscribe(commits), (sub) =>
        Stream.concat(
          Stream.sync(() => version),
          Stream.fromSubscription(sub),
        ),
      ),
    ),
    renewLease: (replica, expiresAt) => Effect.sync(() => void leases.set(replica, expiresAt)),
    dropLease: (replica, now) =>
      Effect.sync(() => {
        const until = leases.get(replica)
        if (until !== undefined && until <= now) leases.delete(replica)
      }),
    leases: Effect.sync(() => Array.from(leases, ([replica, expiresAt]) => ({ replica, expiresAt }))),
  })
}

/** An empty in-memory repository, for tests and embedding. @category layers */
export const layer: Layer.Layer<RouteRepository> = Layer.effect(RouteRepository, make())
