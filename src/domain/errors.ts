/** The typed errors of the route transitions: bad input is refused whole, with no change set. */
import { Data, Result } from "effect"
import type { NodeId } from "./Node.js"
import { type Prefix, parsePrefix } from "./Prefix.js"
import type { RouteId } from "./Route.js"

/** No node record has this id. @category errors */
export class UnknownNode extends Data.TaggedError("UnknownNode")<{
  readonly nodeId: NodeId
  readonly message: string
}> {}

/** @category constructors */
export const unknownNode = (nodeId: NodeId): UnknownNode =>
  new UnknownNode({ nodeId, message: `unknown node ${nodeId}` })

/** The node was deleted; it takes no further commands. @category errors */
export class NodeDeleted extends Data.TaggedError("NodeDeleted")<{
  readonly nodeId: NodeId
  readonly message: string
}> {}

/** @category constructors */
export const nodeDeleted = (nodeId: NodeId): NodeDeleted =>
  new NodeDeleted({ nodeId, message: `node ${nodeId} is deleted` })

/** No live route has this id (never existed, or soft-deleted). @category errors */
export class UnknownRoute extends Data.TaggedError("UnknownRoute")<{
  readonly routeId: RouteId
  readonly message: string
}> {}

/** @category constructors */
export const unknownRoute = (routeId: RouteId): UnknownRoute =>
  new UnknownRoute({ routeId, message: `unknown route ${routeId}` })

/** The node has no live route for this prefix. @category errors */
export class NoSuchRoute extends Data.TaggedError("NoSuchRoute")<{
  readonly nodeId: NodeId
  readonly prefix: string
  readonly message: string
}> {}

/** @category constructors */
export const noSuchRoute = (nodeId: NodeId, prefix: string): NoSuchRoute =>
  new NoSuchRoute({ nodeId, prefix, message: `node ${nodeId} has no route ${prefix}` })

/** A prefix given to a command does not parse under the strict rules. @category errors */
export class InvalidPrefixInput extends Data.TaggedError("InvalidPrefixInput")<{
  readonly input: string
  readonly message: string
}> {}

/** Parses a prefix given to a command (strict rules); a bad one is an `InvalidPrefixInput` naming it. @category constructors */
export const parsePrefixInput = (input: string): Result.Result<Prefix, InvalidPrefixInput> => {
  const parsed = parsePrefix(input)
  return Result.isFailure(parsed)
    ? Result.fail(new InvalidPrefixInput({ input, message: parsed.failure.message }))
    : Result.succeed(parsed.success)
}

/** Enabling needs the node to advertise the route. @category errors */
export class RouteNotAdvertised extends Data.TaggedError("RouteNotAdvertised")<{
  readonly routeId: RouteId
  readonly nodeId: NodeId
  readonly prefix: string
  readonly message: string
}> {}

/** @category constructors */
export const routeNotAdvertised = (routeId: RouteId, nodeId: NodeId, prefix: string): RouteNotAdvertised =>
  new RouteNotAdvertised({
    routeId,
    nodeId,
    prefix,
    message: `route ${routeId} (${prefix} on ${nodeId}) is not advertised`,
  })

/** Enabling an exit route needs both `0.0.0.0/0` and `::/0` advertised by the node. @category errors */
export class HalfExitPair extends Data.TaggedError("HalfExitPair")<{
  readonly nodeId: NodeId
  /** The exit prefix the node does not advertise. */
  readonly missing: string
  readonly message: string
}> {}

/** @category constructors */
export const halfExitPair = (nodeId: NodeId, missing: string): HalfExitPair =>
  new HalfExitPair({
    nodeId,
    missing,
    message: `node ${nodeId} does not advertise ${missing}; exit routes are enabled as a pair`,
  })

/** A route priority must be a safe integer. @category errors */
export class InvalidPriority extends Data.TaggedError("InvalidPriority")<{
  readonly priority: number
  readonly message: string
}> {}

/** Ephemeral logout of a node that is not ephemeral. @category errors */
export class NotEphemeral extends Data.TaggedError("NotEphemeral")<{
  readonly nodeId: NodeId
  readonly message: string
}> {}

/** An advertisement carries more prefixes than `maxRoutesPerNode` allows; nothing changes. @category errors */
export class TooManyRoutes extends Data.TaggedError("TooManyRoutes")<{
  readonly nodeId: NodeId
  /** Distinct prefixes the advertisement carried. */
  readonly count: number
  readonly limit: number
  readonly message: string
}> {}

/** @category constructors */
export const tooManyRoutes = (nodeId: NodeId, count: number, limit: number): TooManyRoutes =>
  new TooManyRoutes({
    nodeId,
    count,
    limit,
    message: `node ${nodeId} advertises ${count} prefixes; maxRoutesPerNode is ${limit}`,
  })

/**
 * A command argument or an option that the validation layer refuses (see
 * `src/domain/inputRules.ts`): `field` names it, `value` is what was given.
 * Nothing runs and nothing changes. @category errors
 */
export class InvalidInput extends Data.TaggedError("InvalidInput")<{
  readonly field: string
  readonly value: unknown
  readonly message: string
}> {}

/** @category guards */
export const isInvalidInput = (u: unknown): u is InvalidInput => u instanceof InvalidInput

/** Any error a route transition can return. @category models */
export type TransitionError =
  | UnknownNode
  | NodeDeleted
  | UnknownRoute
  | NoSuchRoute
  | InvalidPrefixInput
  | RouteNotAdvertised
  | HalfExitPair
  | InvalidPriority
  | NotEphemeral
  | TooManyRoutes

/** @category guards */
export const isUnknownNode = (u: unknown): u is UnknownNode => u instanceof UnknownNode
/** @category guards */
export const isNodeDeleted = (u: unknown): u is NodeDeleted => u instanceof NodeDeleted
/** @category guards */
export const isUnknownRoute = (u: unknown): u is UnknownRoute => u instanceof UnknownRoute
/** @category guards */
export const isNoSuchRoute = (u: unknown): u is NoSuchRoute => u instanceof NoSuchRoute
/** @category guards */
export const isInvalidPrefixInput = (u: unknown): u is InvalidPrefixInput => u instanceof InvalidPrefixInput
/** @category guards */
export const isRouteNotAdvertised = (u: unknown): u is RouteNotAdvertised => u instanceof RouteNotAdvertised
/** @category guards */
export const isHalfExitPair = (u: unknown): u is HalfExitPair => u instanceof HalfExitPair
/** @category guards */
export const isInvalidPriority = (u: unknown): u is InvalidPriority => u instanceof InvalidPriority
/** @category guards */
export const isNotEphemeral = (u: unknown): u is NotEphemeral => u instanceof NotEphemeral
/** @category guards */
export const isTooManyRoutes = (u: unknown): u is TooManyRoutes => u instanceof TooManyRoutes

const tags = new Set([
  "UnknownNode",
  "NodeDeleted",
  "UnknownRoute",
  "NoSuchRoute",
  "InvalidPrefixInput",
  "RouteNotAdvertised",
  "HalfExitPair",
  "InvalidPriority",
  "NotEphemeral",
  "TooManyRoutes",
])

/** Any transition error. @category guards */
export const isTransitionError = (u: unknown): u is TransitionError =>
  typeof u === "object" && u !== null && "_tag" in u && tags.has((u as { _tag: string })._tag)
