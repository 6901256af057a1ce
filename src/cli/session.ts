/**
 * An open store for one CLI run: the repository layer of the chosen adapter
 * behind a `ManagedRuntime`, with port errors turned into `CommandError`s
 * that name the store. Commands load a snapshot, run a pure transition and
 * apply its change set: the CLI never starts a manager, so it never rewrites
 * node presence the way a starting server does.
 */
import { existsSync } from "node:fs"
import { userInfo } from "node:os"
import { Cause, Effect, Exit, type Layer, ManagedRuntime, Option } from "effect"
import { PostgresRepository, SqliteRepository } from "../adapters/storeLayers.js"
import {
  type RepositoryError,
  RouteRepository,
  type Snapshot,
  type StorageError,
} from "../ports/RouteRepository.js"
import { CommandError } from "./CliError.js"
import { describeStore, type StoreSpec } from "./storeSpec.js"

/** The store as the commands see it. @category models */
export interface Session {
  /** `sqlite:PATH` or the URL without its password. */
  readonly label: string
  readonly snapshot: () => Promise<Snapshot>
  /**
   * Runs any effect over the repository. A failure that `own` maps to a
   * `CommandError` is thrown as that; any other is a store failure.
   */
  readonly run: <A, E>(
    effect: Effect.Effect<A, E, RouteRepository>,
    own?: (error: E) => CommandError | null,
  ) => Promise<A>
  readonly close: () => Promise<void>
}

// A refused or black-holed server should fail the command, not hang it.
const OPEN_TIMEOUT_MS = 10_000

/**
 * The route store of a `--db`, as a layer. Drivers load on demand
 * (storeLayers): a SQLite run never loads the Postgres client, and `via`
 * loads neither. A one-shot command needs a small Postgres pool; `serve`
 * takes the adapter's default.
 *
 * @category layers
 */
export const routeStoreLayer = (
  spec: StoreSpec,
  postgresPool?: number,
): Layer.Layer<RouteRepository, RepositoryError> =>
  spec.kind === "sqlite"
    ? SqliteRepository.layer({ filename: spec.path })
    : PostgresRepository.layer({
        url: withUser(spec.url),
        ...(postgresPool === undefined ? {} : { maxConnections: postgresPool }),
      })

/**
 * Whether the store already exists, asked without creating anything: a
 * SQLite file on disk; on Postgres, a store of ours in the database.
 *
 * @category getters
 */
export const storeExists = async (spec: StoreSpec): Promise<boolean> => {
  if (spec.kind === "sqlite") return spec.path === ":memory:" || existsSync(spec.path)
  const label = describeStore(spec)
  const exit = await Effect.runPromiseExit(PostgresRepository.exists({ url: withUser(spec.url) }))
  if (Exit.isSuccess(exit)) return exit.value
  throw storeFailure(label, Cause.squash(exit.cause))
}

// libpq's default, which operators expect from `psql`: no user in the URL means $PGUSER, else the OS user.
export const withUser = (url: string): string => {
  const u = new URL(url)
  if (u.username !== "") return url
  u.username = process.env.PGUSER || userInfo().username
  return u.toString()
}

// The innermost error of a driver failure (`connect ECONNREFUSED 127.0.0.1:1`) says what went wrong.
const rootCause = (error: unknown): string | null => {
  let current: unknown = error
  let deepest: string | null = null
  for (let depth = 0; depth < 8 && typeof current === "object" && current !== null; depth++) {
    const e = current as { message?: unknown; cause?: unknown; reason?: { cause?: unknown } }
    if (typeof e.message === "string" && e.message !== "") deepest = e.message
    current = e.cause ?? e.reason?.cause
  }
  return deepest
}

/** The message of a port error, prefixed with the store so the operator knows which one failed. @category getters */
export const storeFailure = (label: string, error: unknown): CommandError => {
  const tag = (error as { _tag?: string } | null)?._tag
  const message = error instanceof Error ? error.message : String(error)
  const driver = tag === "StorageError" ? (error as StorageError).missingDriver : undefined
  if (driver !== undefined)
    return new CommandError(`${label}: ${message}`, "DRIVER_MISSING", { store: label, driver })
  switch (tag) {
    case "WriteConflict":
      return new CommandError(
        `${label}: another writer changed the store at the same time; nothing was written, try again`,
        "WRITE_CONFLICT",
        { store: label },
      )
    case "ConstraintViolation": {
      const c = error as { constraint: string; table: string; id: string | number }
      return new CommandError(
        `${label}: the store refused the change (${c.constraint} on ${c.table} ${c.id}); nothing was written`,
        "CONSTRAINT_VIOLATION",
        { store: label, constraint: c.constraint, table: c.table, id: c.id },
      )
    }
    default: {
      const root = rootCause(error)
      return new CommandError(
        `${label}: ${root === null || message.includes(root) ? message : `${message} (${root})`}`,
        tag === "SchemaTooNew" ? "SCHEMA_TOO_NEW" : tag === "ForeignStore" ? "FOREIGN_STORE" : "STORAGE",
        { store: label },
      )
    }
  }
}

/**
 * Opens the store. A missing SQLite file is an error unless `create` is set,
 * so a mistyped path or a read command never leaves an empty database behind.
 *
 * @category constructors
 */
export const openSession = async (spec: StoreSpec, create: boolean): Promise<Session> => {
  const label = describeStore(spec)
  if (spec.kind === "sqlite" && !create && spec.path !== ":memory:" && !existsSync(spec.path)) {
    throw new CommandError(
      `${label}: no such database file; check --db (policy set, migrate and simulate create one)`,
      "STORE_NOT_FOUND",
      { store: label },
    )
  }
  const runtime = ManagedRuntime.make(routeStoreLayer(spec, 2))
  const run = async <A, E>(
    effect: Effect.Effect<A, E, RouteRepository>,
    own: (error: E) => CommandError | null = () => null,
  ): Promise<A> => {
    const exit = await runtime.runPromiseExit(effect)
    if (Exit.isSuccess(exit)) return exit.value
    const failure = Cause.findErrorOption(exit.cause)
    const mine = Option.isSome(failure) ? own(failure.value as E) : null
    if (mine !== null) throw mine
    throw storeFailure(label, Option.isSome(failure) ? failure.value : Cause.squash(exit.cause))
  }
  const session: Session = {
    label,
    snapshot: () => run(Effect.flatMap(RouteRepository, (repo) => repo.loadAll)),
    run,
    close: () => runtime.dispose(),
  }
  try {
    // Connect (and migrate) now, so a bad store fails before any work.
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new CommandError(
              `${label}: no answer after ${OPEN_TIMEOUT_MS / 1000} s; is the database reachable?`,
              "STORAGE",
              { store: label },
            ),
          ),
        OPEN_TIMEOUT_MS,
      )
    })
    await Promise.race([run(Effect.asVoid(RouteRepository)), timeout]).finally(() => clearTimeout(timer))
  } catch (e) {
    await runtime.dispose().catch(() => undefined)
    throw e
  }
  return session
}
