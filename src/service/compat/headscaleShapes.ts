/**
 * Headscale's API shapes (its protobuf messages as grpc-gateway writes them:
 * camelCase names, uint64 as decimal strings, RFC 3339 times, every field
 * present, a message that is unset as null) and the pure mapping of our rows
 * onto them. The ≤ 0.25 routes API embeds the node without route fields; the
 * ≥ 0.26 node carries `approvedRoutes`, `availableRoutes` and `subnetRoutes`.
 * Our route ids are the legacy route ids; node ids are used as they are.
 */
import { Schema } from "effect"
import type { Node } from "../../domain/Node.js"
import { compare } from "../../domain/Prefix.js"
import type { Route } from "../../domain/Route.js"

/** RFC 3339 in UTC as protojson writes a Timestamp: no fraction when it is zero. @category getters */
export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(".000Z", "Z")

const timestamp = (ms: number | null): string | null => (ms === null ? null : rfc3339(ms))

const Timestamp = Schema.NullOr(Schema.String)
const Strings = Schema.Array(Schema.String)

/** `v1User`: we know a user only by the name a policy uses. @category models */
export const HeadscaleUser = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  createdAt: Timestamp,
  displayName: Schema.String,
  email: Schema.String,
  providerId: Schema.String,
  provider: Schema.String,
  profilePicUrl: Schema.String,
}).annotate({ identifier: "HeadscaleUser" })

const nodeFields = {
  id: Schema.String,
  machineKey: Schema.String,
  nodeKey: Schema.String,
  discoKey: Schema.String,
  ipAddresses: Strings,
  name: Schema.String,
  user: HeadscaleUser,
  lastSeen: Timestamp,
  expiry: Timestamp,
  preAuthKey: Schema.Null,
  createdAt: Timestamp,
  registerMethod: Schema.String,
  forcedTags: Strings,
  invalidTags: Strings,
  validTags: Strings,
  givenName: Schema.String,
  online: Schema.Boolean,
}

/** `v1Node` of Headscale ≤ 0.25, as the legacy routes API embeds it. @category models */
export const HeadscaleLegacyNode = Schema.Struct(nodeFields).annotate({ identifier: "HeadscaleLegacyNode" })

/** `v1Node` of Headscale ≥ 0.26. @category models */
export const HeadscaleNode = Schema.Struct({
  ...nodeFields,
  approvedRoutes: Strings,
  availableRoutes: Strings,
  subnetRoutes: Strings,
}).annotate({ identifier: "HeadscaleNode" })

/** `v1Route` of Headscale ≤ 0.25. @category models */
export const HeadscaleRoute = Schema.Struct({
  id: Schema.String,
  node: HeadscaleLegacyNode,
  prefix: Schema.String,
  advertised: Schema.Boolean,
  enabled: Schema.Boolean,
  isPrimary: Schema.Boolean,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  deletedAt: Timestamp,
}).annotate({ identifier: "HeadscaleRoute" })

/** @category models */
export type HeadscaleLegacyNode = typeof HeadscaleLegacyNode.Type
/** @category models */
export type HeadscaleNode = typeof HeadscaleNode.Type
/** @category models */
export type HeadscaleRoute = typeof HeadscaleRoute.Type

/** `x@example.com` is an email; `x@` (a bare Headscale user name) is not. */
const emailOf = (user: string): string => {
  const at = user.indexOf("@")
  return at > 0 && at < user.length - 1 ? user : ""
}

/** The node without route fields (the ≤ 0.25 embedding). @category constructors */
export const toHeadscaleLegacyNode = (node: Node): HeadscaleLegacyNode => ({
  id: node.id,
  machineKey: "",
  nodeKey: "",
  discoKey: "",
  ipAddresses: [],
  name: node.id,
  // We keep no user records, so no user id: "0" is protojson's unset uint64.
  user: {
    id: "0",
    name: node.user,
    createdAt: null,
    displayName: "",
    email: emailOf(node.user),
    providerId: "",
    provider: "",
    profilePicUrl: "",
  },
  lastSeen: timestamp(node.presence.lastSeen),
  expiry: timestamp(node.expiresAt),
  preAuthKey: null,
  createdAt: timestamp(node.createdAt),
  registerMethod: "REGISTER_METHOD_UNSPECIFIED",
  forcedTags: [...node.tags],
  invalidTags: [],
  validTags: [...node.tags],
  givenName: node.id,
  online: node.presence.sessions > 0,
})

const prefixesOf = (routes: ReadonlyArray<Route>, keep: (r: Route) => boolean): string[] =>
  routes
    .filter((r) => r.deletedAt === null && keep(r))
    .sort((a, b) => compare(a.prefix, b.prefix))
    .map((r) => r.prefix.text)

/**
 * The ≥ 0.26 node: `approvedRoutes` are its enabled routes,
 * `availableRoutes` the ones it advertises, and `subnetRoutes` what it
 * serves (`served`: the prefixes it is primary for, plus its exit pair when
 * enabled), as Headscale's list and approve responses report them.
 *
 * @category constructors
 */
export const toHeadscaleNode = (
  node: Node,
  routes: ReadonlyArray<Route>,
  served: ReadonlyArray<Route>,
): HeadscaleNode => ({
  ...toHeadscaleLegacyNode(node),
  approvedRoutes: prefixesOf(routes, (r) => r.enabled),
  availableRoutes: prefixesOf(routes, (r) => r.advertised),
  subnetRoutes: prefixesOf(served, () => true),
})

/** A route row with its node embedded. @category constructors */
export const toHeadscaleRoute = (route: Route, node: Node): HeadscaleRoute => ({
  id: String(route.id),
  node: toHeadscaleLegacyNode(node),
  prefix: route.prefix.text,
  advertised: route.advertised,
  enabled: route.enabled,
  isPrimary: route.isPrimary,
  createdAt: rfc3339(route.createdAt),
  updatedAt: rfc3339(route.updatedAt),
  deletedAt: timestamp(route.deletedAt),
})

/** `rpcStatus`, the gateway's error body; `details` is always empty here. @category models */
export const HeadscaleStatusFields = {
  code: Schema.Int,
  message: Schema.String,
  details: Schema.Array(Schema.Unknown),
}
