/**
 * tailnet-routes: subnet route management for Tailscale-compatible
 * coordination servers.
 *
 * The root entry is the pure domain (prefixes, 4via6, overlaps, policy, the
 * route core) and the Promise facade. It never loads a database driver: the
 * facade imports the SQLite or Postgres adapter only when asked for that store.
 * Effect users start at `tailnet-routes/effect`; fp-ts users at `tailnet-routes/fp-ts`.
 */

export { approves, isPolicyError, PolicyError, PolicySchema, validatePolicy } from "./domain/autoApprovers.js"
export * from "./domain/ChangeSet.js"
export * from "./domain/core.js"
export type * from "./domain/legacyImport/HeadscaleDump.js"
export { parseHeadscaleTime } from "./domain/legacyImport/headscaleTime.js"
export type * from "./domain/legacyImport/ImportReport.js"
export { type ImportPlan, planImport } from "./domain/legacyImport/planImport.js"
export * from "./domain/Node.js"
export * from "./domain/Options.js"
export {
  findOverlaps,
  type OverlapInput,
  type OverlapPair,
  type OverlapReport,
  type ReservedHit,
} from "./domain/overlaps.js"
export * from "./domain/Policy.js"
export * from "./domain/Prefix.js"
export { parsePolicyText } from "./domain/policyText.js"
export * from "./domain/Route.js"
export type * from "./domain/RouteView.js"
export * from "./domain/reserved.js"
export {
  AdvertisementSchema,
  type EncodedRoute,
  NodeInputSchema,
  NodeSchema,
  PrefixSchema,
  PresenceSchema,
  RouteSchema,
  tagPattern,
} from "./domain/schemas.js"
export * from "./domain/via.js"
export * from "./facade/index.js"
