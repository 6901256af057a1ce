/**
 * The application service of one tailnet: every command of the core, run
 * serialised against an in-memory index, persisted through `RouteRepository`
 * in one atomic apply, then folded into memory and published; the queries;
 * the change stream; and the timer that realises grace ends, expiries and
 * preemption on the `Clock` (so `TestClock` drives failover to the ms).
 */
import { Clock, Context, Effect, Layer, PubSub, Result, Schema, type Scope, Semaphore, Stream } from "effect"
import { type PolicyError, validatePolicy } from "../domain/autoApprovers.js"
import type { ChangeSet } from "../domain/ChangeSet.js"
import type { Commit } from "../domain/Commit.js"
import {
  type HalfExitPair,
  type InvalidInput,
  type InvalidPrefixInput,
  type InvalidPriority,
  type NodeDeleted,
  type NotEphemeral,
  parsePrefixInput,
  type RouteNotAdvertised,
  type TooManyRoutes,
  type UnknownNode,
} from "../domain/errors.js"
import { type Explanation, explain } from "../domain/explain.js"
import {
  checkInput,
  checkOptions,
  NameSchema,
  NodeInputRules,
  PrefixListSchema,
  RouteFilterSchema,
  RouteTargetSchema,
  SettingsSchema,
  TagsSchema,
  TimeSchema,
} from "../domain/inputRules.js"
import type { Node, NodeId } from "../domain/Node.js"
import { makeOptions, type Options } from "../domain/Options.js"
import { findOverlaps, type OverlapReport } from "../domain/overlaps.js"
import type { Policy } from "../domain/Policy.js"
import { type PolicyPreview, previewPolicy } from "../domain/policyPreview.js"
import { parsePolicyText } from "../domain/policyText.js"
import type { Route } from "../domain/Route.js"
import { RouteIndex, type RouteState } from "../domain/RouteIndex.js"
import { type Reconciled, reconcile, startUp } from "../domain/reconcile.js"
import { advertise } from "../domain/transitions/advertise.js"
import {
  connectNode,
  deleteNode,
  disconnectNode,
  expireNode,
  logoutEphemeral,
  type NodeInput,
  setTags,
  upsertNode,
} from "../domain/transitions/nodeCommands.js"
import {
  deleteRoutes,
  disableRoutes,
  enableRoutes,
  markRouteHealth,
  type RouteTarget,
  setApprovedRoutes,
  setRoutePriority,
  type TargetError,
} from "../domain/transitions/routeCommands.js"
import { setPolicy } from "../domain/transitions/setPolicy.js"
import { primaryRoutes, servedRoutes } from "../domain/views.js"
import { type RepositoryError, RouteRepository } from "../ports/RouteRepository.js"
import { Engine } from "./internal/Engine.js"
import { followLoop, leaseLoop, startUpEnd } from "./internal/replicaLoops.js"
import { samePolicy } from "./internal/samePolicy.js"
import { timerLoop } from "./internal/timer.js"
import { filterRoutes, type RouteFilter } from "./RouteFilter.js"

type NodeError = UnknownNode | NodeDeleted

/** What `RouteManager` offers; every command returns the committed change set. @category models */
export interface RouteManagerService {
  /** Registers a node (offline until it connects) or updates owner, tags, ephemeral flag, expiry. */
  readonly upsertNode: (
    input: NodeInput,
  ) => Effect.Effect<ChangeSet, NodeDeleted | InvalidInput | RepositoryError>
  readonly setTags: (
    nodeId: NodeId,
    tags: ReadonlyArray<string>,
  ) => Effect.Effect<ChangeSet, NodeError | InvalidInput | RepositoryError>
  /** A session opened. */
  readonly connect: (nodeId: NodeId) => Effect.Effect<ChangeSet, NodeError | InvalidInput | RepositoryError>
  /** A session closed; the last one starts the grace window. */
  readonly disconnect: (
    nodeId: NodeId,
  ) => Effect.Effect<ChangeSet, NodeError | InvalidInput | RepositoryError>
  /** Expires the node key at `at` (default now). */
  readonly expireNode: (
    nodeId: NodeId,
    at?: number,
  ) => Effect.Effect<ChangeSet, NodeError | InvalidInput | RepositoryError>
  readonly deleteNode: (
    nodeId: NodeId,
  ) => Effect.Effect<ChangeSet, NodeError | InvalidInput | RepositoryError>
  readonly logoutEphemeral: (
    nodeId: NodeId,
  ) => Effect.Effect<ChangeSet, NodeError | NotEphemeral | InvalidInput | RepositoryError>
  /** The node's full advertised set (Hostinfo `RoutableIPs`); bad elements land in `rejected`. */
  readonly advertise: (
    nodeId: NodeId,
    routes: ReadonlyArray<string>,
  ) => Effect.Effect<ChangeSet, NodeError | TooManyRoutes | InvalidInput | RepositoryError>
  readonly enableRoutes: (
    target: RouteTarget,
  ) => Effect.Effect<
    ChangeSet,
    TargetError | RouteNotAdvertised | HalfExitPair | InvalidInput | RepositoryError
  >
  readonly disableRoutes: (
    target: RouteTarget,
  ) => Effect.Effect<ChangeSet, TargetError | InvalidInput | RepositoryError>
  readonly deleteRoutes: (
    target: RouteTarget,
  ) => Effect.Effect<ChangeSet, TargetError | InvalidInput | RepositoryError>
  /** Manual approval of one node's prefixes. */
  readonly approveRoutes: (
    nodeId: NodeId,
    prefixes: ReadonlyArray<string>,
  ) => Effect.Effect<
    ChangeSet,
    TargetError | RouteNotAdvertised | HalfExitPair | InvalidInput | RepositoryError
  >
  readonly revokeRoutes: (
    nodeId: NodeId,
    prefixes: ReadonlyArray<string>,
  ) => Effect.Effect<ChangeSet, TargetError | InvalidInput | RepositoryError>
  /** Replaces one node's approved set with `prefixes` in one commit (either exit prefix means both). */
  readonly setApprovedRoutes: (
    nodeId: NodeId,
    prefixes: ReadonlyArray<string>,
  ) => Effect.Effect<
    ChangeSet,
    TargetError | RouteNotAdvertised | HalfExitPair | InvalidInput | RepositoryError
  >
  /** Validates and installs a policy; policy approvals that no longer match are revoked. */
  readonly setPolicy: (
    policy: unknown,
  ) => Effect.Effect<ChangeSet, PolicyError | InvalidInput | RepositoryError>
  /**
   * What `setPolicy` would do now, without doing it: approvals granted and
   * revoked, primaries that would move, and the change set it would commit.
   */
  readonly previewPolicy: (policy: unknown) => Effect.Effect<PolicyPreview, PolicyError>
  /** `previewPolicy` from JSON or HuJSON text. */
  readonly previewPolicyText: (text: string) => Effect.Effect<PolicyPreview, PolicyError | InvalidInput>
  /** `setPolicy` from JSON or HuJSON text. */
  readonly setPolicyText: (
    text: string,
  ) => Effect.Effect<ChangeSet, PolicyError | InvalidInput | RepositoryError>
  readonly setPriority: (
    target: RouteTarget,
    priority: number,
  ) => Effect.Effect<ChangeSet, TargetError | InvalidPriority | InvalidInput | RepositoryError>
  readonly markHealth: (
    target: RouteTarget,
    healthy: boolean,
  ) => Effect.Effect<ChangeSet, TargetError | InvalidInput | RepositoryError>
  /** Repairs the stored state and re-elects every prefix. */
  readonly reconcile: Effect.Effect<Reconciled, RepositoryError>
  /** Runs the timers due by now; the timer fiber does this on its own at each deadline. */
  readonly tick: Effect.Effect<ChangeSet, RepositoryError>

  /** Live routes matching the filter, by id. */
  readonly listRoutes: (
    filter?: RouteFilter,
  ) => Effect.Effect<ReadonlyArray<Route>, InvalidPrefixInput | InvalidInput>
  /**
   * The node record (deleted nodes included), if known; `undefined` for an
   * unknown id. Reads never fail on an unknown node: the lists below are
   * empty for it (and for a deleted node); only commands fail with `UnknownNode`.
   */
  readonly getNode: (nodeId: NodeId) => Effect.Effect<Node | undefined>
  /** Live routes of one node, by id. */
  readonly nodeRoutes: (nodeId: NodeId) => Effect.Effect<ReadonlyArray<Route>>
  /** Subnet routes the node is primary for, in prefix order. */
  readonly primaryRoutes: (nodeId: NodeId) => Effect.Effect<ReadonlyArray<Route>>
  /** Primary subnets plus an enabled exit pair: what the node's netmap peers route to it. */
  readonly servedRoutes: (nodeId: NodeId) => Effect.Effect<ReadonlyArray<Route>>
  /** Why the prefix (strict text) has the primary it has: every live route's standing, at now. */
  readonly explain: (prefix: string) => Effect.Effect<Explanation, InvalidPrefixInput | InvalidInput>
  /** Overlapping routes on different nodes and reserved ranges covered (warnings). */
  readonly overlaps: Effect.Effect<OverlapReport<Route>>
  /** The whole state as plain sorted data. */
  readonly snapshot: Effect.Effect<RouteState>
  readonly policy: Effect.Effect<Policy>
  /** When the timer will next fire, or null. */
  readonly nextDeadline: Effect.Effect<number | null>

  /**
   * Every change set committed to the store from subscription on, by this
   * manager or by any other process (replicas, the CLI, an import), once
   * each and in version order, with its version and origin.
   */
  readonly changes: Stream.Stream<Commit>
  /** A subscription that is live as soon as this effect returns (no race with the next command). */
  readonly subscribe: Effect.Effect<PubSub.Subscription<Commit>, never, Scope.Scope>
  /** How many commits this manager published since it opened (its own and others'). */
  readonly committed: Effect.Effect<number>
  /** The tailnet version this manager's state stands at. */
  readonly version: Effect.Effect<number>
  /** The options this manager runs with, defaults filled in (what a reader needs to judge eligibility). */
  readonly options: Options
  /** This manager's replica id: the origin of its commits and the holder of its sessions. */
  readonly replicaId: string
}

/** Settings of `RouteManager.layer` beyond the election options. @category models */
export interface ManagerSettings {
  /** Installed at open when it differs from the stored policy. */
  readonly policy?: Policy
  /** Catch-up-and-recompute attempts after a write conflict (another process wrote first). Default 20. */
  readonly conflictRetries?: number
  /**
   * This process among the replicas sharing the store: the origin of its
   * commits and the holder of the sessions it opens. Default: random per
   * process. A replica restarted with the same id ends its earlier run's sessions.
   */
  readonly replicaId?: string
  /** How long the presence lease runs unrenewed (renewed every third of it). Default 10 000 ms. */
  readonly leaseMs?: number
}

const asChangeSet = (cs: ChangeSet): ChangeSet => cs

/** Builds the manager over the `RouteRepository` in context; its timer lives in the current scope. @category constructors */
export const make = (
  partial: Partial<Options> = {},
  settings: ManagerSettings = {},
): Effect.Effect<
  RouteManagerService,
  RepositoryError | PolicyError | InvalidInput,
  RouteRepository | Scope.Scope
> =>
  Effect.gen(function* () {
    // Options and settings are checked before the store is read or written.
    const options = makeOptions(yield* Effect.fromResult(checkOptions(partial)))
    yield* Effect.fromResult(checkInput(SettingsSchema, "settings", settings))
    const repo = yield* RouteRepository
    // One clock for every read and sleep: the one in scope when the manager opens.
    const clock = yield* Clock.Clock
    const semaphore = yield* Semaphore.make(1)
    const pubsub = yield* PubSub.unbounded<Commit>()
    yield* Effect.addFinalizer(() => PubSub.shutdown(pubsub))
    const initial =
      settings.policy === undefined ? undefined : yield* Effect.fromResult(validatePolicy(settings.policy))
    const replica = settings.replicaId ?? `replica-${crypto.randomUUID()}`
    const leaseMs = settings.leaseMs ?? 10_000
    const startedAt = clock.currentTimeMillisUnsafe()

    // The lease first: from here on other replicas leave this replica's sessions alone.
    yield* repo.renewLease(replica, startedAt + leaseMs)
    const leases = yield* repo.leases
    const engine = new Engine(
      { repo, clock, options, semaphore, pubsub, conflictRetries: settings.conflictRetries ?? 20, replica },
      RouteIndex.from(yield* repo.loadAll),
    )
    // A clean stop ends the lease now: the others disconnect its nodes as of now.
    yield* Effect.addFinalizer(() =>
      Effect.ignore(Effect.suspend(() => repo.renewLease(replica, clock.currentTimeMillisUnsafe()))),
    )

    // Restart: this replica's sessions from an earlier run and those of lapsed
    // replicas end; stored primaries hold one grace window while routers reconnect.
    yield* engine.command(
      (view, now) => Result.succeed(startUp(view, now, options, startUpEnd(leases, replica, now))),
      (r) => r.changeSet,
    )
    if (initial !== undefined && !samePolicy(initial, engine.index.policy)) {
      yield* engine.command(
        (view, now) => Result.succeed(setPolicy(view, initial, now, options)),
        asChangeSet,
      )
    }
    yield* Effect.forkScoped(timerLoop(engine, clock))
    yield* Effect.forkScoped(followLoop(engine, repo))
    yield* Effect.forkScoped(leaseLoop(engine, repo, clock, { leaseMs, startedAt }))

    const run = <E>(compute: (view: RouteIndex, now: number) => Result.Result<ChangeSet, E>) =>
      engine.command(compute, asChangeSet)
    const ok = (f: (view: RouteIndex, now: number) => ChangeSet) =>
      engine.command((view: RouteIndex, now: number) => Result.succeed(f(view, now)), asChangeSet)
    const read = <A>(f: (view: RouteIndex) => A): Effect.Effect<A> => Effect.sync(() => f(engine.index))
    const installPolicy = (
      parsed: Result.Result<Policy, PolicyError>,
    ): Effect.Effect<ChangeSet, PolicyError | RepositoryError> =>
      Result.isFailure(parsed)
        ? Effect.fail(parsed.failure)
        : ok((view, now) => setPolicy(view, parsed.success, now, options))
    const byNode = (nodeId: NodeId, prefixes: ReadonlyArray<string>): RouteTarget => ({ nodeId, prefixes })
    // Every command argument is checked by the validation layer before the command runs.
    const valid = <A>(
      schema: Schema.Decoder<A>,
      field: string,
      value: unknown,
    ): Effect.Effect<A, InvalidInput> =>
      Effect.suspend(() => Effect.fromResult(checkInput(schema, field, value)))
    const onNode = <E>(nodeId: NodeId, f: (id: NodeId) => Effect.Effect<ChangeSet, E>) =>
      Effect.flatMap(valid(NameSchema, "nodeId", nodeId), f)
    const onTarget = <E>(target: RouteTarget, f: (t: RouteTarget) => Effect.Effect<ChangeSet, E>) =>
      Effect.flatMap(valid(RouteTargetSchema, "target", target), f)
    const onPrefixes = <E>(
      nodeId: NodeId,
      prefixes: ReadonlyArray<string>,
      f: (id: NodeId, ps: ReadonlyArray<string>) => Effect.Effect<ChangeSet, E>,
    ) =>
      Effect.flatMap(valid(NameSchema, "nodeId", nodeId), (id) =>
        Effect.flatMap(valid(PrefixListSchema, "prefixes", prefixes), (ps) => f(id, ps)),
      )

    return {
      options,
      upsertNode: (input) =>
        Effect.flatMap(valid(NodeInputRules, "node", input), (checked) =>
          run((view, now) => upsertNode(view, checked, now, options)),
        ),
      setTags: (nodeId, tags) =>
        onNode(nodeId, (id) =>
          Effect.flatMap(valid(TagsSchema, "tags", tags), (ts) =>
            run((view, now) => setTags(view, { nodeId: id, tags: ts }, now, options)),
          ),
        ),
      connect: (nodeId) =>
        onNode(nodeId, (id) => run((view, now) => connectNode(view, { nodeId: id, replica }, now, options))),
      disconnect: (nodeId) =>
        onNode(nodeId, (id) =>
          run((view, now) => disconnectNode(view, { nodeId: id, replica }, now, options)),
        ),
      expireNode: (nodeId, at) =>
        onNode(nodeId, (id) =>
          at === undefined
            ? run((view, now) => expireNode(view, { nodeId: id }, now, options))
            : Effect.flatMap(valid(TimeSchema, "at", at), (t) =>
                run((view, now) => expireNode(view, { nodeId: id, at: t }, now, options)),
              ),
        ),
      deleteNode: (nodeId) =>
        onNode(nodeId, (id) => run((view, now) => deleteNode(view, { nodeId: id }, now, options))),
      logoutEphemeral: (nodeId) =>
        onNode(nodeId, (id) => run((view, now) => logoutEphemeral(view, { nodeId: id }, now, options))),
      advertise: (nodeId, routes) =>
        onPrefixes(nodeId, routes, (id, ps) =>
          run((view, now) => advertise(view, { nodeId: id, routes: ps }, now, options)),
        ),
      enableRoutes: (target) =>
        onTarget(target, (t) => run((view, now) => enableRoutes(view, t, now, options))),
      disableRoutes: (target) =>
        onTarget(target, (t) => run((view, now) => disableRoutes(view, t, now, options))),
      deleteRoutes: (target) =>
        onTarget(target, (t) => run((view, now) => deleteRoutes(view, t, now, options))),
      approveRoutes: (nodeId, prefixes) =>
        onPrefixes(nodeId, prefixes, (id, ps) =>
          run((view, now) => enableRoutes(view, byNode(id, ps), now, options)),
        ),
      revokeRoutes: (nodeId, prefixes) =>
        onPrefixes(nodeId, prefixes, (id, ps) =>
          run((view, now) => disableRoutes(view, byNode(id, ps), now, options)),
        ),
      setApprovedRoutes: (nodeId, prefixes) =>
        onPrefixes(nodeId, prefixes, (id, ps) =>
          run((view, now) => setApprovedRoutes(view, { nodeId: id, prefixes: ps }, now, options)),
        ),
      setPolicy: (policy) => Effect.suspend(() => installPolicy(validatePolicy(policy))),
      previewPolicy: (policy) =>
        Effect.suspend(() =>
          Effect.flatMap(Effect.fromResult(validatePolicy(policy)), (p) =>
            read((view) => previewPolicy(view, p, engine.now(), options)),
          ),
        ),
      previewPolicyText: (text) =>
        Effect.flatMap(valid(Schema.String, "policy", text), (t) =>
          Effect.flatMap(Effect.fromResult(parsePolicyText(t)), (p) =>
            read((view) => previewPolicy(view, p, engine.now(), options)),
          ),
        ),
      setPolicyText: (text) =>
        Effect.flatMap(valid(Schema.String, "policy", text), (t) => installPolicy(parsePolicyText(t))),
      setPriority: (target, priority) =>
        onTarget(target, (t) =>
          Effect.flatMap(valid(Schema.Number, "priority", priority), (p) =>
            run((view, now) => setRoutePriority(view, t, p, now, options)),
          ),
        ),
      markHealth: (target, healthy) =>
        onTarget(target, (t) =>
          Effect.flatMap(valid(Schema.Boolean, "healthy", healthy), (h) =>
            run((view, now) => markRouteHealth(view, t, h, now, options)),
          ),
        ),
      reconcile: engine.command(
        (view, now) => Result.succeed(reconcile(view, now, options)),
        (r) => r.changeSet,
      ),
      tick: engine.runTick,

      listRoutes: (filter) =>
        filter === undefined
          ? Effect.suspend(() => Effect.fromResult(filterRoutes(engine.index)))
          : Effect.flatMap(valid(RouteFilterSchema, "filter", filter), (f) =>
              Effect.suspend(() => Effect.fromResult(filterRoutes(engine.index, f))),
            ),
      getNode: (nodeId) => read((view) => view.node(nodeId)),
      nodeRoutes: (nodeId) => read((view) => [...view.routesOfNode(nodeId)].sort((a, b) => a.id - b.id)),
      primaryRoutes: (nodeId) => read((view) => primaryRoutes(view, nodeId)),
      servedRoutes: (nodeId) => read((view) => servedRoutes(view, nodeId)),
      explain: (prefix) =>
        Effect.flatMap(valid(Schema.String, "prefix", prefix), (text) =>
          Effect.flatMap(Effect.fromResult(parsePrefixInput(text)), (p) =>
            read((view) => explain(view, p.text, engine.now(), options)),
          ),
        ),
      overlaps: read((view) => findOverlaps(Array.from(view.allRoutes()))),
      snapshot: read((view) => view.snapshot()),
      policy: read((view) => view.policy),
      nextDeadline: Effect.sync(() => engine.armed),

      changes: Stream.fromPubSub(pubsub),
      subscribe: PubSub.subscribe(pubsub),
      committed: Effect.sync(() => engine.committed),
      version: Effect.sync(() => engine.index.version),
      replicaId: replica,
    } satisfies RouteManagerService
  })

/** The route manager of one tailnet. @category services */
export class RouteManager extends Context.Service<RouteManager, RouteManagerService>()(
  "tailnet-routes/RouteManager",
) {
  /**
   * Opens the manager over the `RouteRepository` in context: loads the store,
   * restarts presence (one grace window for every node), installs `policy`
   * when given and different, and starts the timer (stopped with the layer).
   *
   * @category layers
   */
  static layer(
    options: Partial<Options> = {},
    settings: ManagerSettings = {},
  ): Layer.Layer<RouteManager, RepositoryError | PolicyError | InvalidInput, RouteRepository> {
    return Layer.effect(RouteManager, make(options, settings))
  }
}
