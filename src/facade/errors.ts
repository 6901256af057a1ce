/**
 * The Promise facade's errors: plain `Error` subclasses with a stable `code`
 * and a message naming the input, mapped one-to-one from the typed errors of
 * the core, the policy and the storage port. The typed error is kept as `cause`.
 */
import { isPolicyError, type PolicyError } from "../domain/autoApprovers.js"
import { isInvalidInput, isTransitionError, type TransitionError } from "../domain/errors.js"
import { isRepositoryError, type RepositoryError } from "../ports/RouteRepository.js"
import type { apiErrorCodes } from "./jsonSchemas.js"

/** Every `code` a facade error can carry (listed, with the CLI's, in `jsonSchemas.ts`). @category models */
export type ErrorCode = (typeof apiErrorCodes)[number]

/** Base class of every error the facade throws; switch on `code`. @category errors */
export class TailnetRoutesError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause })
    this.code = code
    this.name = new.target.name
  }

  /**
   * The error in the JSON dialect, as the CLI prints it with `--json`:
   * `{ code, message }` plus the fields naming the input (`nodeId`,
   * `routeId`, `prefix`, `input`, `path`, …). `JSON.stringify` calls it.
   */
  toJSON(): { readonly code: ErrorCode; readonly message: string; readonly [detail: string]: unknown } {
    const details: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(this)) if (k !== "name" && k !== "code") details[k] = v
    return { code: this.code, message: this.message, ...details }
  }
}

/** No node has this id. @category errors */
export class UnknownNodeError extends TailnetRoutesError {
  constructor(
    readonly nodeId: string,
    message: string,
    cause?: unknown,
  ) {
    super("UNKNOWN_NODE", message, cause)
  }
}

/** The node was deleted and takes no further commands. @category errors */
export class NodeDeletedError extends TailnetRoutesError {
  constructor(
    readonly nodeId: string,
    message: string,
    cause?: unknown,
  ) {
    super("NODE_DELETED", message, cause)
  }
}

/** No live route has this id. @category errors */
export class UnknownRouteError extends TailnetRoutesError {
  constructor(
    readonly routeId: number,
    message: string,
    cause?: unknown,
  ) {
    super("UNKNOWN_ROUTE", message, cause)
  }
}

/** The node has no live route for this prefix. @category errors */
export class NoSuchRouteError extends TailnetRoutesError {
  constructor(
    readonly nodeId: string,
    readonly prefix: string,
    message: string,
    cause?: unknown,
  ) {
    super("NO_SUCH_ROUTE", message, cause)
  }
}

/** A prefix argument does not parse under the strict rules. @category errors */
export class InvalidPrefixError extends TailnetRoutesError {
  constructor(
    readonly input: string,
    message: string,
    cause?: unknown,
  ) {
    super("INVALID_PREFIX", message, cause)
  }
}

/** Enabling needs the node to advertise the route. @category errors */
export class RouteNotAdvertisedError extends TailnetRoutesError {
  constructor(
    readonly routeId: number,
    readonly nodeId: string,
    readonly prefix: string,
    message: string,
    cause?: unknown,
  ) {
    super("ROUTE_NOT_ADVERTISED", message, cause)
  }
}

/** Exit routes are enabled as a pair; the node does not advertise `missing`. @category errors */
export class HalfExitPairError extends TailnetRoutesError {
  constructor(
    readonly nodeId: string,
    readonly missing: string,
    message: string,
    cause?: unknown,
  ) {
    super("HALF_EXIT_PAIR", message, cause)
  }
}

/** A route priority must be a safe integer. @category errors */
export class InvalidPriorityError extends TailnetRoutesError {
  constructor(
    readonly priority: number,
    message: string,
    cause?: unknown,
  ) {
    super("INVALID_PRIORITY", message, cause)
  }
}

/** Ephemeral logout of a node that is not ephemeral. @category errors */
export class NotEphemeralError extends TailnetRoutesError {
  constructor(
    readonly nodeId: string,
    message: string,
    cause?: unknown,
  ) {
    super("NOT_EPHEMERAL", message, cause)
  }
}

/** The policy (object or text) is invalid; `path` names the offending entry. @category errors */
export class InvalidPolicyError extends TailnetRoutesError {
  constructor(
    readonly path: string,
    message: string,
    cause?: unknown,
  ) {
    super("INVALID_POLICY", message, cause)
  }
}

/**
 * A value as an error's JSON can carry it: JSON values as they are (a string
 * keeps its lone surrogates and control characters, which `JSON.stringify`
 * escapes), anything else (`undefined`, NaN, a bigint, a function) as text.
 */
const jsonSafe = (value: unknown): unknown => {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value)
  if (typeof value === "object") {
    try {
      return JSON.parse(JSON.stringify(value)) as unknown
    } catch {
      return Object.prototype.toString.call(value)
    }
  }
  return typeof value === "symbol"
    ? value.toString()
    : typeof value === "function"
      ? "function"
      : String(value)
}

/**
 * An argument or option has the wrong shape (not a string, a negative time,
 * a control character in an id, …): `field` names it (`options.gracePeriodMs`,
 * `upsertNode.id`) and `value` is what was given. @category errors
 */
export class InvalidInputError extends TailnetRoutesError {
  readonly field?: string
  readonly value?: unknown
  constructor(
    message: string,
    cause?: unknown,
    detail?: { readonly field: string; readonly value: unknown },
  ) {
    super("INVALID_INPUT", message, cause)
    if (detail !== undefined) {
      this.field = detail.field
      this.value = jsonSafe(detail.value)
    }
  }
}

/** The database failed; nothing is known to be written. @category errors */
export class StorageFailureError extends TailnetRoutesError {
  constructor(message: string, cause?: unknown) {
    super("STORAGE", message, cause)
  }
}

/** A write would break an invariant the store enforces; nothing was written. @category errors */
export class ConstraintViolationError extends TailnetRoutesError {
  constructor(
    readonly constraint: string,
    message: string,
    cause?: unknown,
  ) {
    super("CONSTRAINT_VIOLATION", message, cause)
  }
}

/** Another writer kept changing the same rows; the command gave up after its retries. @category errors */
export class WriteConflictError extends TailnetRoutesError {
  constructor(message: string, cause?: unknown) {
    super("WRITE_CONFLICT", message, cause)
  }
}

/** The database was written by a newer version of this library. @category errors */
export class SchemaTooNewError extends TailnetRoutesError {
  constructor(
    readonly found: number,
    readonly supported: number,
    message: string,
    cause?: unknown,
  ) {
    super("SCHEMA_TOO_NEW", message, cause)
  }
}

/**
 * The store holds tables that are not this library's (`kind` `headscale` for a
 * Headscale database); it was left untouched. @category errors
 */
export class ForeignStoreError extends TailnetRoutesError {
  constructor(
    readonly kind: string,
    readonly location: string,
    message: string,
    cause?: unknown,
  ) {
    super("FOREIGN_STORE", message, cause)
  }
}

/** The manager was closed. @category errors */
export class ManagerClosedError extends TailnetRoutesError {
  constructor(method: string) {
    super("MANAGER_CLOSED", `${method}: the route manager is closed`)
  }
}

/** @category guards */
export const isTailnetRoutesError = (u: unknown): u is TailnetRoutesError => u instanceof TailnetRoutesError

const fromTransition = (e: TransitionError): TailnetRoutesError => {
  switch (e._tag) {
    case "UnknownNode":
      return new UnknownNodeError(e.nodeId, e.message, e)
    case "NodeDeleted":
      return new NodeDeletedError(e.nodeId, e.message, e)
    case "UnknownRoute":
      return new UnknownRouteError(e.routeId, e.message, e)
    case "NoSuchRoute":
      return new NoSuchRouteError(e.nodeId, e.prefix, e.message, e)
    case "InvalidPrefixInput":
      return new InvalidPrefixError(e.input, e.message, e)
    case "RouteNotAdvertised":
      return new RouteNotAdvertisedError(e.routeId, e.nodeId, e.prefix, e.message, e)
    case "HalfExitPair":
      return new HalfExitPairError(e.nodeId, e.missing, e.message, e)
    case "InvalidPriority":
      return new InvalidPriorityError(e.priority, e.message, e)
    case "NotEphemeral":
      return new NotEphemeralError(e.nodeId, e.message, e)
    case "TooManyRoutes":
      return new InvalidInputError(e.message, e, { field: "prefixes", value: e.count })
  }
}

const fromRepository = (e: RepositoryError): TailnetRoutesError => {
  switch (e._tag) {
    case "StorageError":
      return new StorageFailureError(`storage failed: ${e.message}`, e)
    case "ConstraintViolation":
      return new ConstraintViolationError(
        e.constraint,
        `constraint ${e.constraint} refused ${e.table} row ${e.id}; nothing was written`,
        e,
      )
    case "WriteConflict":
      return new WriteConflictError(
        `write conflict on ${e.table} row ${e.id} (${e.reason}); retries exhausted`,
        e,
      )
    case "SchemaTooNew":
      return new SchemaTooNewError(e.found, e.supported, e.message, e)
    case "ForeignStore":
      return new ForeignStoreError(e.kind, e.location, e.message, e)
  }
}

/**
 * Maps a typed failure of the effect API onto the facade's errors; anything
 * else (a defect) is returned as is.
 *
 * @category constructors
 */
export const toFacadeError = (e: unknown): unknown => {
  if (isTailnetRoutesError(e)) return e
  if (isTransitionError(e)) return fromTransition(e)
  if (isInvalidInput(e)) return new InvalidInputError(e.message, e, { field: e.field, value: e.value })
  if (isPolicyError(e))
    return new InvalidPolicyError((e as PolicyError).path, `invalid policy: ${e.message}`, e)
  if (isRepositoryError(e)) return fromRepository(e)
  return e
}
