/**
 * Wire schemas of the public inputs and records: what a caller may hand the
 * library as data (parsed JSON, a queue message) and what it gets back. The
 * fp-ts face's io-ts codecs mirror these exactly (a property test holds them
 * to it), so the two decoders never disagree on what is valid.
 */
import { Schema } from "effect"
import { PolicySchema as PolicyCodec } from "./autoApprovers.js"
import { NameSchema, TagSchema } from "./inputRules.js"
import type { Node, Presence } from "./Node.js"
import type { Policy } from "./Policy.js"
import { type Prefix, PrefixFromString } from "./Prefix.js"
import type { Route } from "./Route.js"
import type { Advertisement } from "./transitions/advertise.js"
import type { NodeInput } from "./transitions/nodeCommands.js"

/** An ACL tag: `tag:` then a name without whitespace (the form the policy's tag approvers use). @category predicates */
export const tagPattern: RegExp = /^tag:\S+$/

// Node ids, users and tags follow the validation layer's identifier rules (inputRules.ts):
// not empty, well-formed Unicode, no control character, at most 256 code units.
const NonEmptyString = NameSchema

const Tag = TagSchema

// Epoch milliseconds: a safe, non-negative integer (never NaN, never fractional).
const EpochMs = Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0)))

/** Strict prefix text ↔ `Prefix` (host bits rejected); the same schema as `PrefixFromString`. @category models */
export const PrefixSchema: Schema.Codec<Prefix, string> = PrefixFromString

/** A valid autoApprovers policy (shape plus every `validatePolicy` rule); unknown keys are dropped. @category models */
export const PolicySchema: Schema.Codec<Policy, Policy> = PolicyCodec

/** A node's connection state. @category models */
export const PresenceSchema: Schema.Codec<Presence, Presence> = Schema.Struct({
  sessions: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0))),
  replicas: Schema.Record(Schema.String, Schema.Int.pipe(Schema.check(Schema.isGreaterThan(0)))),
  connectedAt: Schema.NullOr(EpochMs),
  lastSeen: Schema.NullOr(EpochMs),
  disconnectedAt: Schema.NullOr(EpochMs),
})

/** A whole node record, as repositories store and change sets carry it. @category models */
export const NodeSchema: Schema.Codec<Node, Node> = Schema.Struct({
  id: NonEmptyString,
  user: NonEmptyString,
  tags: Schema.Array(Tag),
  ephemeral: Schema.Boolean,
  createdAt: EpochMs,
  expiresAt: Schema.NullOr(EpochMs),
  presence: PresenceSchema,
  deletedAt: Schema.NullOr(EpochMs),
})

/**
 * What the control plane sends to register or update a node (`upsertNode`).
 * Optional keys are exact: a key present with `undefined` is rejected, as the
 * type says (`exactOptionalPropertyTypes`).
 *
 * @category models
 */
export const NodeInputSchema: Schema.Codec<NodeInput, NodeInput> = Schema.Struct({
  id: NonEmptyString,
  user: NonEmptyString,
  tags: Schema.optionalKey(Schema.Array(Tag)),
  ephemeral: Schema.optionalKey(Schema.Boolean),
  expiresAt: Schema.optionalKey(Schema.NullOr(EpochMs)),
})

/** A route row on the wire: the `Route` record with its prefix as canonical text. @category models */
export type EncodedRoute = Omit<Route, "prefix"> & { readonly prefix: string }

/** A route row; its prefix decodes strictly from text to a `Prefix`. @category models */
export const RouteSchema: Schema.Codec<Route, EncodedRoute> = Schema.Struct({
  id: Schema.Int.pipe(Schema.check(Schema.isGreaterThan(0))),
  nodeId: NonEmptyString,
  prefix: PrefixFromString,
  advertised: Schema.Boolean,
  enabled: Schema.Boolean,
  isPrimary: Schema.Boolean,
  approvedBy: Schema.NullOr(Schema.Literals(["manual", "policy", "migration"])),
  priority: Schema.Int,
  healthy: Schema.Boolean,
  createdAt: EpochMs,
  updatedAt: EpochMs,
  deletedAt: Schema.NullOr(EpochMs),
})

/**
 * A node's Hostinfo `RoutableIPs`. The elements stay raw strings: ingestion
 * is lenient per element (`advertise` drops and reports a bad one), so a bad
 * prefix must not fail the whole message here.
 *
 * @category models
 */
export const AdvertisementSchema: Schema.Codec<Advertisement, Advertisement> = Schema.Struct({
  nodeId: NonEmptyString,
  routes: Schema.Array(Schema.String),
})
