/**
 * The Promise facade: a route manager for callers who do not use effect.
 * Builds a `ManagedRuntime` from `RouteManager.layer` and the chosen store,
 * runs every call through it, maps typed failures onto `TailnetRoutesError`s
 * and hands back plain JSON-friendly records (see `toJson.ts`).
 *
 * Time: with a `clock` from `createManualClock`, the manager reads only that
 * clock; its failover timer wakes when the clock is advanced, and every call
 * first runs timers that are already due, so after `clock.advance(ms)` the
 * next call sees the failover. Without one, the system clock drives it.
 *
 * Events: `subscribe(listener)` receives the change set of every committed
 * command (and timer), in commit order; a call's promise resolves only after
 * listeners have seen the change sets committed up to its end.
 */
import { Cause, Clock, Effect, Exit, Fiber, Layer, ManagedRuntime, PubSub, Result, Schema } from "effect"
import { MemoryRepository, PostgresRepository, SqliteRepository } from "../adapters/storeLayers.js"
import type { RouteFilter } from "../app/RouteFilter.js"
import { RouteManager, type RouteManagerService } from "../app/RouteManager.js"
import type { ChangeSet, PrimaryChange } from "../domain/ChangeSet.js"
import {
  checkInput,
  isWellFormed,
  NameSchema,
  NodeInputRules,
  OptionsSchema,
  PollIntervalSchema,
  SettingsSchema,
  showValue,
} from "../domain/inputRules.js"
import type { Options } from "../domain/Options.js"
import type { Policy } from "../domain/Policy.js"
import type { ApprovalChange } from "../domain/policyPreview.js"
import { parsePolicyText } from "../domain/policyText.js"
import type { NodeInput } from "../domain/transitions/nodeCommands.js"
import type { RouteTarget } from "../domain/transitions/routeCommands.js"
import { InvalidInputError, ManagerClosedError, toFacadeError } from "./errors.js"
import { type ManualClock, toEffectClock } from "./manualClock.js"
import {
  type ChangeJson,
  changeToJson,
  type ExplanationJson,
  explanationToJson,
  type NodeJson,
  type OverlapsJson,
  overlapsToJson,
  type ReconcileJson,
  type RouteJson,
  routesToJson,
} from "./toJson.js"

/**
 * Where routes are stored: in memory, a SQLite file path, or a Postgres URL.
 * `pollIntervalMs` is how often the store is asked for other processes'
 * commits (SQLite default 100 ms; Postgres default 1 000 ms beside its
 * LISTEN, which `notifications: false` turns off). See "Several replicas".
 *
 * @category models
 */
export type StoreConfig =
  | "memory"
  | {
      readonly sqlite: string
      readonly pollIntervalMs?: number
      /** `"full"` (default: an acknowledged change survives power loss) or `"normal"` (faster, see BENCHMARKS.md). */
      readonly synchronous?: "full" | "normal"
    }
  | {
      readonly postgres: string
      readonly pollIntervalMs?: number
      readonly notifications?: boolean
      /** The schema our tables live in; default `tailnet_routes`. */
      readonly schema?: string
    }

/** Arguments of `createRouteManager`. @category models */
export interface CreateRouteManagerOptions {
  readonly store: StoreConfig
  /** Election and withdrawal options (grace period, preemption, …); defaults per DESIGN §2–3. */
  readonly options?: Partial<Options>
  /** autoApprovers policy (object, or JSON/HuJSON text) installed at open when it differs from the stored one. */
  readonly policy?: Policy | string
  /** A clock from `createManualClock`; default the system clock. */
  readonly clock?: ManualClock
  /** This process among replicas sharing the store: its commits' origin and its sessions' holder. Default: random. */
  readonly replicaId?: string
  /** How long this replica's presence lease runs unrenewed; default 10 000 ms. */
  readonly leaseMs?: number
  /**
   * Where a listener's failure goes (a throw, or a rejected promise it
   * returned). Default: one line on stderr with the change's version and
   * origin. A failing listener never fails the command, never stops delivery
   * to the others and never crashes the process; a handler that throws itself
   * is logged to stderr by the default.
   */
  readonly onListenerError?: ListenerErrorHandler
}

/** `previewPolicy`'s answer; `changes` is the change set `setPolicy` would commit now. @category models */
export interface PolicyPreviewJson {
  readonly granted: ReadonlyArray<ApprovalChange>
  readonly revoked: ReadonlyArray<ApprovalChange>
  readonly primaries: ReadonlyArray<PrimaryChange>
  readonly changes: ChangeJson
}

/**
 * A change listener; it gets the same object for every listener of one
 * change. It may return a promise: a rejection is handled like a throw (see
 * `onListenerError`), and delivery does not wait for it.
 *
 * @category models
 */
export type ChangeListener = (change: ChangeJson) => unknown

/**
 * Told when a listener throws or its promise rejects: the error and the
 * change it was given (with its `version` and `origin`). The command that
 * made the change has succeeded regardless, and the other listeners still get it.
 *
 * @category models
 */
export type ListenerErrorHandler = (error: unknown, change: ChangeJson) => void

/** The default `onListenerError`: one line on stderr naming the change (version and origin) and the error. */
const logListenerError: ListenerErrorHandler = (error, change) => {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error)
  process.stderr.write(
    `tailnet-routes: a change listener failed on version ${String(change.version)} (origin ${String(change.origin)}): ${text}\n`,
  )
}

/** The route manager of one tailnet, Promise-style. Times are epoch ms; prefixes canonical text. @category models */
export interface TailnetRouteManager {
  /** Registers a node (offline until it connects) or updates its user, tags, ephemeral flag, key expiry. */
  upsertNode(node: NodeInput): Promise<ChangeJson>
  setTags(nodeId: string, tags: ReadonlyArray<string>): Promise<ChangeJson>
  connect(nodeId: string): Promise<ChangeJson>
  /** The last session closing starts the grace window; failover happens when it ends. */
  disconnect(nodeId: string): Promise<ChangeJson>
  /** Expires the node key at `atMs` (default now). */
  expireNode(nodeId: string, atMs?: number): Promise<ChangeJson>
  deleteNode(nodeId: string): Promise<ChangeJson>
  logoutEphemeral(nodeId: string): Promise<ChangeJson>
  /** The node's full advertised set; unparsable elements are dropped and listed in `rejected`. */
  advertise(nodeId: string, prefixes: ReadonlyArray<string>): Promise<ChangeJson>
  enableRoute(routeId: number): Promise<ChangeJson>
  disableRoute(routeId: number): Promise<ChangeJson>
  deleteRoute(routeId: number): Promise<ChangeJson>
  approveRoutes(nodeId: string, prefixes: ReadonlyArray<string>): Promise<ChangeJson>
  revokeRoutes(nodeId: string, prefixes: ReadonlyArray<string>): Promise<ChangeJson>
  /** Replaces the node's approved set with `prefixes` in one commit (either exit prefix means both; `[]` revokes all). */
  setApprovedRoutes(nodeId: string, prefixes: ReadonlyArray<string>): Promise<ChangeJson>
  setPriority(routeId: number, priority: number): Promise<ChangeJson>
  markHealth(routeId: number, healthy: boolean): Promise<ChangeJson>
  /** A policy object, or its JSON/HuJSON text. */
  setPolicy(policy: Policy | string): Promise<ChangeJson>
  /**
   * What `setPolicy(policy)` would do now, without doing it: the approvals it
   * would grant and revoke, the primaries that would move, and the change set.
   */
  previewPolicy(policy: Policy | string): Promise<PolicyPreviewJson>
  reconcile(): Promise<ReconcileJson>
  /** Runs the timers due now (the manager also does so on its own). */
  tick(): Promise<ChangeJson>
  listRoutes(filter?: RouteFilter): Promise<RouteJson[]>
  /**
   * The node record (a deleted node's too), or null for an unknown id. Reads
   * never throw `UNKNOWN_NODE`: `nodeRoutes`, `primaryRoutes`, `servedRoutes`
   * and `listRoutes({ nodeId })` are empty for an unknown or deleted node;
   * commands on one throw `UNKNOWN_NODE` (`NODE_DELETED`).
   */
  getNode(nodeId: string): Promise<NodeJson | null>
  nodeRoutes(nodeId: string): Promise<RouteJson[]>
  primaryRoutes(nodeId: string): Promise<RouteJson[]>
  servedRoutes(nodeId: string): Promise<RouteJson[]>
  explain(prefix: string): Promise<ExplanationJson>
  overlaps(): Promise<OverlapsJson>
  getPolicy(): Promise<Policy>
  /** Calls `listener` with every committed change set; returns the unsubscribe function. */
  subscribe(listener: ChangeListener): () => void
  /** Stops the timer and closes the store. Idempotent. */
  close(): Promise<void>
}

// A file path or URL: text with no NUL (a C library would cut it there) and no lone surrogate.
const Locator = Schema.String.pipe(
  Schema.check(Schema.isMinLength(1)),
  Schema.check(
    Schema.makeFilter(
      (s: string) =>
        (!s.includes("\u0000") && isWellFormed(s)) || "Expected no NUL character and well-formed Unicode",
    ),
  ),
)

/** Every key `createRouteManager` takes, checked before anything is opened. */
const ConfigRules = Schema.Struct({
  store: Schema.Union([
    Schema.Literal("memory"),
    Schema.Struct({
      sqlite: Locator,
      pollIntervalMs: Schema.optionalKey(PollIntervalSchema),
      synchronous: Schema.optionalKey(Schema.Literals(["full", "normal"])),
    }),
    Schema.Struct({
      postgres: Locator,
      pollIntervalMs: Schema.optionalKey(PollIntervalSchema),
      notifications: Schema.optionalKey(Schema.Boolean),
      schema: Schema.optionalKey(
        Schema.String.pipe(Schema.check(Schema.isPattern(/^[a-z_][a-z0-9_]{0,62}$/))),
      ),
    }),
  ]),
  options: Schema.optionalKey(OptionsSchema),
  policy: Schema.optionalKey(Schema.Unknown),
  clock: Schema.optionalKey(Schema.Unknown),
  replicaId: Schema.optionalKey(NameSchema),
  leaseMs: Schema.optionalKey(SettingsSchema.fields.leaseMs),
  onListenerError: Schema.optionalKey(
    Schema.Unknown.pipe(
      Schema.check(Schema.makeFilter((f) => typeof f === "function" || "Expected a function")),
    ),
  ),
})

const storeLayer = (store: StoreConfig) => {
  if (store === "memory") return MemoryRepository.layer
  const pollIntervalMs = store.pollIntervalMs === undefined ? {} : { pollIntervalMs: store.pollIntervalMs }
  if ("sqlite" in store) {
    const synchronous = store.synchronous === undefined ? {} : { synchronous: store.synchronous }
    return SqliteRepository.layer({ filename: store.sqlite, ...pollIntervalMs, ...synchronous })
  }
  const notifications = store.notifications === false ? { notifications: false } : {}
  const schema = store.schema === undefined ? {} : { schema: store.schema }
  return PostgresRepository.layer({ url: store.postgres, ...pollIntervalMs, ...notifications, ...schema })
}

/** A facade check: the validation layer's verdict, or an `InvalidInputError` naming the method and field. */
const checked = <A>(method: string, schema: Schema.Decoder<A>, field: string, value: unknown): A => {
  const r = checkInput(schema, field, value)
  if (Result.isSuccess(r)) return r.success
  throw new InvalidInputError(`${method}: ${r.failure.message}`, r.failure, {
    field: r.failure.field,
    value: r.failure.value,
  })
}

const isThenable = (u: unknown): u is PromiseLike<unknown> =>
  (typeof u === "object" || typeof u === "function") &&
  u !== null &&
  typeof (u as { then?: unknown }).then === "function"

const checkId = (method: string, routeId: unknown): number => {
  if (typeof routeId !== "number" || !Number.isSafeInteger(routeId)) {
    throw new InvalidInputError(`${method}: route id ${showValue(routeId)} is not an integer`, undefined, {
      field: "routeId",
      value: routeId,
    })
  }
  return routeId
}

const checkStrings = (method: string, what: string, xs: unknown): ReadonlyArray<string> => {
  if (!Array.isArray(xs) || !xs.every((x) => typeof x === "string")) {
    throw new InvalidInputError(
      `${method}: ${what} must be an array of strings; got ${showValue(xs)}`,
      undefined,
      {
        field: what,
        value: xs,
      },
    )
  }
  return xs
}

const rethrow = <A>(exit: Exit.Exit<A, unknown>): A => {
  if (Exit.isSuccess(exit)) return exit.value
  const error = Cause.findError(exit.cause)
  throw Result.isSuccess(error) ? toFacadeError(error.success) : Cause.squash(exit.cause)
}

/**
 * Opens a route manager over the chosen store: loads it, gives every stored
 * node one grace window to reconnect, installs `policy` if given, starts the
 * failover timer.
 *
 * @category constructors
 */
export const createRouteManager = async (input: CreateRouteManagerOptions): Promise<TailnetRouteManager> => {
  // Every key checked before any store is opened or created; the checked copy is used from here on.
  const config = checked("createRouteManager", ConfigRules, "config", input) as CreateRouteManagerOptions
  if (config.clock !== undefined) toEffectClock(config.clock)
  const repository = storeLayer(config.store)
  const policy =
    typeof config.policy === "string" ? parsePolicyText(config.policy) : Result.succeed(config.policy)
  if (Result.isFailure(policy)) throw toFacadeError(policy.failure)
  const settings = {
    ...(policy.success === undefined ? {} : { policy: policy.success }),
    ...(config.replicaId === undefined ? {} : { replicaId: config.replicaId }),
    ...(config.leaseMs === undefined ? {} : { leaseMs: config.leaseMs }),
  }
  const clock = config.clock === undefined ? undefined : toEffectClock(config.clock)
  const now = (): number => (config.clock === undefined ? Date.now() : config.clock.now())
  const managerLayer = RouteManager.layer(config.options ?? {}, settings).pipe(Layer.provide(repository))
  // The manual clock is provided around both the store and the manager: one time source.
  const layer =
    clock === undefined ? managerLayer : managerLayer.pipe(Layer.provide(Layer.succeed(Clock.Clock, clock)))
  const runtime = ManagedRuntime.make(layer)

  const opened = await runtime.runPromiseExit(
    Effect.gen(function* () {
      return yield* RouteManager
    }),
  )
  if (Exit.isFailure(opened)) {
    await runtime.dispose()
    rethrow(opened)
  }
  const m: RouteManagerService = (opened as Exit.Success<RouteManagerService>).value

  // A listener's failure is the caller's to hear about, never the manager's: it goes to
  // the handler, and a handler that throws goes to stderr, so nothing reaches the process.
  const onListenerError = config.onListenerError ?? logListenerError
  const listenerFailed = (error: unknown, change: ChangeJson): void => {
    try {
      onListenerError(error, change)
    } catch (handlerError) {
      try {
        logListenerError(handlerError, change)
      } catch {
        // stderr itself failed: nothing is left to tell.
      }
    }
  }
  // Event delivery: one subscriber fiber, so listeners see change sets in commit order.
  const listeners = new Set<ChangeListener>()
  let delivered = 0
  const waiters: Array<{ readonly target: number; readonly resolve: () => void }> = []
  const deliver = (batch: ReadonlyArray<ChangeSet>): void => {
    for (const cs of batch) {
      delivered++
      if (listeners.size === 0) continue
      const json = changeToJson(cs)
      for (const listener of Array.from(listeners)) {
        try {
          const returned = listener(json)
          if (isThenable(returned)) returned.then(undefined, (error: unknown) => listenerFailed(error, json))
        } catch (error) {
          listenerFailed(error, json)
        }
      }
    }
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i]!.target <= delivered) waiters.splice(i, 1)[0]!.resolve()
    }
  }
  let markReady: () => void = () => {}
  const ready = new Promise<void>((resolve) => {
    markReady = resolve
  })
  const consumer = runtime.runFork(
    Effect.scoped(
      Effect.gen(function* () {
        const sub = yield* m.subscribe
        delivered = yield* m.committed
        markReady()
        return yield* Effect.forever(
          Effect.flatMap(PubSub.takeAll(sub), (batch) => Effect.sync(() => deliver(batch))),
        )
      }),
    ),
  )
  await ready
  const settled = (target: number): Promise<void> =>
    target <= delivered ? Promise.resolve() : new Promise((resolve) => waiters.push({ target, resolve }))

  let closed = false
  const guard = (method: string): void => {
    if (closed) throw new ManagerClosedError(method)
  }
  // Timers already due run first, so a call after `clock.advance` sees the failover.
  const catchUp: Effect.Effect<unknown, unknown> = Effect.flatMap(m.nextDeadline, (deadline) =>
    deadline !== null && deadline <= now() ? m.tick : Effect.void,
  )
  const call = async <A>(method: string, effect: () => Effect.Effect<A, unknown>): Promise<A> => {
    guard(method)
    const exit = await runtime.runPromiseExit(
      Effect.andThen(
        catchUp,
        Effect.flatMap(Effect.suspend(effect), (a) => Effect.map(m.committed, (n) => [a, n] as const)),
      ),
    )
    if (Exit.isSuccess(exit)) await settled(exit.value[1])
    return rethrow(exit)[0]
  }
  const command = (method: string, effect: () => Effect.Effect<ChangeSet, unknown>): Promise<ChangeJson> =>
    call(method, effect).then(changeToJson)
  const sync = <A>(f: () => A): Promise<A> => {
    try {
      return Promise.resolve(f())
    } catch (error) {
      return Promise.reject(error)
    }
  }
  const byId = (routeId: number): RouteTarget => ({ routeIds: [routeId] })
  // enableRoute, disableRoute, deleteRoute: one route id, checked, as a target.
  const onRoute =
    (method: string, run: (target: RouteTarget) => Effect.Effect<ChangeSet, unknown>) =>
    (routeId: number): Promise<ChangeJson> =>
      sync(() => checkId(method, routeId)).then((id) => command(method, () => run(byId(id))))
  const onPrefixes =
    (
      method: string,
      run: (nodeId: string, prefixes: ReadonlyArray<string>) => Effect.Effect<ChangeSet, unknown>,
    ) =>
    (nodeId: string, prefixes: ReadonlyArray<string>): Promise<ChangeJson> =>
      sync(() => checkStrings(method, "prefixes", prefixes)).then((ps) =>
        command(method, () => run(nodeId, ps)),
      )

  return {
    upsertNode: (node) =>
      sync(() => checked("upsertNode", NodeInputRules, "node", node)).then((input) =>
        command("upsertNode", () => m.upsertNode(input)),
      ),
    setTags: (nodeId, tags) => command("setTags", () => m.setTags(nodeId, tags)),
    connect: (nodeId) => command("connect", () => m.connect(nodeId)),
    disconnect: (nodeId) => command("disconnect", () => m.disconnect(nodeId)),
    expireNode: (nodeId, atMs) => command("expireNode", () => m.expireNode(nodeId, atMs)),
    deleteNode: (nodeId) => command("deleteNode", () => m.deleteNode(nodeId)),
    logoutEphemeral: (nodeId) => command("logoutEphemeral", () => m.logoutEphemeral(nodeId)),
    advertise: onPrefixes("advertise", m.advertise),
    enableRoute: onRoute("enableRoute", (t) => m.enableRoutes(t)),
    disableRoute: onRoute("disableRoute", (t) => m.disableRoutes(t)),
    deleteRoute: onRoute("deleteRoute", (t) => m.deleteRoutes(t)),
    approveRoutes: onPrefixes("approveRoutes", m.approveRoutes),
    revokeRoutes: onPrefixes("revokeRoutes", m.revokeRoutes),
    setApprovedRoutes: onPrefixes("setApprovedRoutes", m.setApprovedRoutes),
    setPriority: (routeId, priority) =>
      sync(() => checkId("setPriority", routeId)).then((id) =>
        command("setPriority", () => m.setPriority(byId(id), priority)),
      ),
    markHealth: (routeId, healthy) =>
      sync(() => {
        if (typeof healthy !== "boolean")
          throw new InvalidInputError(`markHealth: healthy must be a boolean; got ${String(healthy)}`)
        return checkId("markHealth", routeId)
      }).then((id) => command("markHealth", () => m.markHealth(byId(id), healthy))),
    setPolicy: (policy) =>
      command("setPolicy", () =>
        typeof policy === "string" ? m.setPolicyText(policy) : m.setPolicy(policy),
      ),
    previewPolicy: (policy) =>
      call("previewPolicy", () =>
        typeof policy === "string" ? m.previewPolicyText(policy) : m.previewPolicy(policy),
      ).then((p) => ({
        granted: p.granted,
        revoked: p.revoked,
        primaries: p.primaries,
        changes: changeToJson(p.changeSet),
      })),
    reconcile: () =>
      call("reconcile", () => m.reconcile).then((r) => ({
        changes: changeToJson(r.changeSet),
        repairs: r.repairs,
      })),
    tick: () => command("tick", () => m.tick),
    listRoutes: (filter) => call("listRoutes", () => m.listRoutes(filter)).then(routesToJson),
    getNode: (nodeId) => call("getNode", () => m.getNode(nodeId)).then((n) => n ?? null),
    nodeRoutes: (nodeId) => call("nodeRoutes", () => m.nodeRoutes(nodeId)).then(routesToJson),
    primaryRoutes: (nodeId) => call("primaryRoutes", () => m.primaryRoutes(nodeId)).then(routesToJson),
    servedRoutes: (nodeId) => call("servedRoutes", () => m.servedRoutes(nodeId)).then(routesToJson),
    explain: (prefix) => call("explain", () => m.explain(prefix)).then(explanationToJson),
    overlaps: () => call("overlaps", () => m.overlaps).then(overlapsToJson),
    getPolicy: () => call("getPolicy", () => m.policy),
    subscribe: (listener) => {
      guard("subscribe")
      if (typeof listener !== "function")
        throw new InvalidInputError("subscribe: listener must be a function")
      // Wrapped so subscribing the same function twice gives two independent subscriptions.
      const entry: ChangeListener = (change) => listener(change)
      listeners.add(entry)
      return () => {
        listeners.delete(entry)
      }
    },
    close: async () => {
      if (closed) return
      closed = true
      await runtime.runPromise(Fiber.interrupt(consumer))
      listeners.clear()
      for (const w of waiters.splice(0)) w.resolve()
      await runtime.dispose()
    },
  }
}
