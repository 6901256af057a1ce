/**
 * io-ts codecs for the public inputs and records. Each accepts exactly what
 * its effect schema in `domain/schemas.ts` accepts and decodes to the same
 * value (checked by a property test); prefix and policy rules are not
 * re-implemented but delegated to the domain's own parsers.
 */
import { Result } from "effect"
import * as t from "io-ts"
import { validatePolicy } from "../domain/autoApprovers.js"
import { identifierProblem, showValue } from "../domain/inputRules.js"
import type { Node, Presence } from "../domain/Node.js"
import type { Policy } from "../domain/Policy.js"
import { formatPrefix, isPrefix, type Prefix, parsePrefix } from "../domain/Prefix.js"
import type { Route } from "../domain/Route.js"
import { type EncodedRoute, tagPattern } from "../domain/schemas.js"
import type { Advertisement } from "../domain/transitions/advertise.js"
import type { NodeInput } from "../domain/transitions/nodeCommands.js"
import { record, refine, struct } from "./internal/combinators.js"

// The validation layer's identifier rules (inputRules.ts), as the effect Schemas apply them.
const NonEmptyStringC = refine(
  t.string,
  (s) => s.length > 0 && identifierProblem(s) === undefined,
  "NonEmptyString",
  (s) => (s.length === 0 ? "expected a non-empty string" : `${showValue(s)}: ${identifierProblem(s)}`),
)

const TagC = refine(
  t.string,
  (s) => tagPattern.test(s) && identifierProblem(s) === undefined,
  "Tag",
  (s) =>
    tagPattern.test(s)
      ? `${showValue(s)}: ${identifierProblem(s)}`
      : `${JSON.stringify(s)} is not a tag; expected tag:name`,
)

const IntC = refine(t.number, Number.isSafeInteger, "Int", (n) => `${n} is not a safe integer`)

const EpochMsC = refine(
  t.number,
  (n) => Number.isSafeInteger(n) && n >= 0,
  "EpochMs",
  (n) => `${n} is not epoch milliseconds (a non-negative safe integer)`,
)

const nullable = <C extends t.Mixed>(codec: C) => t.union([t.null, codec])

/**
 * Strict prefix text ↔ `Prefix`, decoded by `parsePrefix` (host bits are an
 * error, carrying its message); encodes to canonical text.
 *
 * @category models
 */
export const PrefixC: t.Type<Prefix, string, unknown> = new t.Type<Prefix, string, unknown>(
  "Prefix",
  isPrefix,
  (u, context) => {
    if (typeof u !== "string") return t.failure(u, context, "expected prefix text")
    const r = parsePrefix(u)
    return Result.isSuccess(r) ? t.success(r.success) : t.failure(u, context, r.failure.message)
  },
  formatPrefix,
)

/**
 * A valid autoApprovers policy, decoded by `validatePolicy` (unknown keys
 * dropped); a failure carries the `PolicyError` message, which names the entry.
 *
 * @category models
 */
export const PolicyC: t.Type<Policy, Policy, unknown> = new t.Type<Policy, Policy, unknown>(
  "Policy",
  (u): u is Policy => Result.isSuccess(validatePolicy(u)),
  (u, context) => {
    const r = validatePolicy(u)
    return Result.isSuccess(r) ? t.success(r.success) : t.failure(u, context, r.failure.message)
  },
  t.identity,
)

/** A node's connection state. @category models */
export const PresenceC: t.Type<Presence, Presence, unknown> = struct("Presence", {
  sessions: refine(
    t.number,
    (n) => Number.isSafeInteger(n) && n >= 0,
    "Sessions",
    (n) => `${n} is not a session count`,
  ),
  replicas: record(
    "ReplicaSessions",
    refine(
      t.number,
      (n) => Number.isSafeInteger(n) && n > 0,
      "SessionCount",
      (n) => `${n} is not a positive session count`,
    ),
  ),
  connectedAt: nullable(EpochMsC),
  lastSeen: nullable(EpochMsC),
  disconnectedAt: nullable(EpochMsC),
})

/** A whole node record. @category models */
export const NodeC: t.Type<Node, Node, unknown> = struct("Node", {
  id: NonEmptyStringC,
  user: NonEmptyStringC,
  tags: t.readonlyArray(TagC),
  ephemeral: t.boolean,
  createdAt: EpochMsC,
  expiresAt: nullable(EpochMsC),
  presence: PresenceC,
  deletedAt: nullable(EpochMsC),
})

/** What the control plane sends to register or update a node; optional keys are exact. @category models */
export const NodeInputC: t.Type<NodeInput, NodeInput, unknown> = struct(
  "NodeInput",
  { id: NonEmptyStringC, user: NonEmptyStringC },
  { tags: t.readonlyArray(TagC), ephemeral: t.boolean, expiresAt: nullable(EpochMsC) },
)

/** A route row; its prefix is canonical text on the wire and a `Prefix` decoded. @category models */
export const RouteC: t.Type<Route, EncodedRoute, unknown> = struct("Route", {
  id: refine(
    t.number,
    (n) => Number.isSafeInteger(n) && n > 0,
    "RouteId",
    (n) => `${n} is not a route id`,
  ),
  nodeId: NonEmptyStringC,
  prefix: PrefixC,
  advertised: t.boolean,
  enabled: t.boolean,
  isPrimary: t.boolean,
  approvedBy: nullable(t.keyof({ manual: null, policy: null, migration: null })),
  priority: IntC,
  healthy: t.boolean,
  createdAt: EpochMsC,
  updatedAt: EpochMsC,
  deletedAt: nullable(EpochMsC),
})

/** A node's Hostinfo `RoutableIPs`; elements stay raw strings (ingestion is lenient per element). @category models */
export const AdvertisementC: t.Type<Advertisement, Advertisement, unknown> = struct("Advertisement", {
  nodeId: NonEmptyStringC,
  routes: t.readonlyArray(t.string),
})
