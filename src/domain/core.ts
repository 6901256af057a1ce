/** The public API of the route core (transitions, election, index, views), for `src/index.ts` to re-export. */

export { electPrimary, type NodeLookup, outranks, preemptionDeadline } from "./election.js"
export {
  type Eligibility,
  eligibilityOf,
  eligibleSince,
  type Ineligible,
  isEligible,
  isNodeExpired,
  isNodeOnline,
  type NodeStanding,
  nodeStanding,
  Standing,
} from "./eligibility.js"
export * from "./errors.js"
export {
  type Candidate,
  type CandidateStatus,
  type Explanation,
  explain,
  type PrimaryReason,
  type StandbyReason,
} from "./explain.js"
export { mergeChangeSets, mergedKeys } from "./mergeChangeSets.js"
export { RouteIndex, type RouteState } from "./RouteIndex.js"
export { type Reconciled, type Repair, type RepairKind, reconcile, startUp } from "./reconcile.js"
export { type Advertisement, advertise } from "./transitions/advertise.js"
export {
  connectNode,
  deleteNode,
  disconnectNode,
  expireNode,
  logoutEphemeral,
  type NodeInput,
  setTags,
  upsertNode,
} from "./transitions/nodeCommands.js"
export {
  approveRoutes,
  deleteRoutes,
  disableRoutes,
  enableRoutes,
  markRouteHealth,
  type RouteTarget,
  revokeRoutes,
  setApprovedRoutes,
  setRoutePriority,
  type TargetError,
} from "./transitions/routeCommands.js"
export { setPolicy } from "./transitions/setPolicy.js"
export { nextDeadline, tick } from "./transitions/tick.js"
export { primaryOf, primaryRoutes, routesFor, servedRoutes } from "./views.js"
