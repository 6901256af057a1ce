/**
 * `Either`-returning twins of the domain's `Result`-returning functions, for
 * fp-ts codebases. Same parameters, same values, same error classes; only the
 * container differs.
 */
import type { Either } from "fp-ts/lib/Either.js"
import { type PolicyError, validatePolicy } from "../domain/autoApprovers.js"
import type { ChangeSet } from "../domain/ChangeSet.js"
import type {
  HalfExitPair,
  InvalidPriority,
  NodeDeleted,
  NotEphemeral,
  RouteNotAdvertised,
  TooManyRoutes,
  UnknownNode,
} from "../domain/errors.js"
import type { NodeId } from "../domain/Node.js"
import type { Options } from "../domain/Options.js"
import type { Policy } from "../domain/Policy.js"
import {
  type NormalisedPrefix,
  normalisePrefix,
  type Prefix,
  type PrefixParseError,
  parsePrefix,
} from "../domain/Prefix.js"
import { parsePolicyText } from "../domain/policyText.js"
import type { RouteView } from "../domain/RouteView.js"
import { type Advertisement, advertise } from "../domain/transitions/advertise.js"
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
} from "../domain/transitions/routeCommands.js"
import {
  type AddressParseError,
  mapVia,
  type UnmappedVia,
  unmapVia,
  unmapViaPrefix,
  type ViaAddress,
  type ViaError,
  validateViaPrefix,
} from "../domain/via.js"
import { liftResult } from "./fromResult.js"

type NodeError = UnknownNode | NodeDeleted

/** A transition of the route core with input `I`, as an `Either`. @category models */
export type TransitionE<I, E> = (
  view: RouteView,
  input: I,
  now: number,
  options: Options,
) => Either<E, ChangeSet>

/** `parsePrefix` as an `Either`. @category constructors */
export const parsePrefixE: (input: string) => Either<PrefixParseError, Prefix> = liftResult(parsePrefix)

/** `normalisePrefix` as an `Either`. @category constructors */
export const normalisePrefixE: (input: string) => Either<PrefixParseError, NormalisedPrefix> =
  liftResult(normalisePrefix)

/** `mapVia` as an `Either`. @category constructors */
export const mapViaE: (site: number, v4: Prefix) => Either<ViaError, Prefix> = liftResult(mapVia)

/** `unmapVia` as an `Either`: a 4via6 address gives `{ site, ipv4 }`, any other address itself. @category getters */
export const unmapViaE: (address: string) => Either<AddressParseError | ViaError, ViaAddress | string> =
  liftResult(unmapVia)

/** `unmapViaPrefix` as an `Either`. @category getters */
export const unmapViaPrefixE: (p: Prefix) => Either<ViaError, UnmappedVia> = liftResult(unmapViaPrefix)

/** `validateViaPrefix` as an `Either`. @category constructors */
export const validateViaPrefixE: (p: Prefix) => Either<ViaError, Prefix> = liftResult(validateViaPrefix)

/** `validatePolicy` as an `Either`. @category constructors */
export const validatePolicyE: (input: unknown) => Either<PolicyError, Policy> = liftResult(validatePolicy)

/** `parsePolicyText` (JSON or HuJSON) as an `Either`. @category constructors */
export const parsePolicyTextE: (text: string) => Either<PolicyError, Policy> = liftResult(parsePolicyText)

/** `advertise` as an `Either`. @category constructors */
export const advertiseE: TransitionE<Advertisement, NodeError | TooManyRoutes> = liftResult(advertise)

/** `upsertNode` as an `Either`. @category constructors */
export const upsertNodeE: TransitionE<NodeInput, NodeDeleted> = liftResult(upsertNode)

/** `setTags` as an `Either`. @category constructors */
export const setTagsE: TransitionE<
  { readonly nodeId: NodeId; readonly tags: ReadonlyArray<string> },
  NodeError
> = liftResult(setTags)

/** `connectNode` as an `Either`. @category constructors */
export const connectNodeE: TransitionE<{ readonly nodeId: NodeId }, NodeError> = liftResult(connectNode)

/** `disconnectNode` as an `Either`. @category constructors */
export const disconnectNodeE: TransitionE<{ readonly nodeId: NodeId }, NodeError> = liftResult(disconnectNode)

/** `expireNode` as an `Either`. @category constructors */
export const expireNodeE: TransitionE<{ readonly nodeId: NodeId; readonly at?: number }, NodeError> =
  liftResult(expireNode)

/** `deleteNode` as an `Either`. @category constructors */
export const deleteNodeE: TransitionE<{ readonly nodeId: NodeId }, NodeError> = liftResult(deleteNode)

/** `logoutEphemeral` as an `Either`. @category constructors */
export const logoutEphemeralE: TransitionE<{ readonly nodeId: NodeId }, NodeError | NotEphemeral> =
  liftResult(logoutEphemeral)

/** `enableRoutes` as an `Either`. @category constructors */
export const enableRoutesE: TransitionE<RouteTarget, TargetError | RouteNotAdvertised | HalfExitPair> =
  liftResult(enableRoutes)

/** `approveRoutes` (a manual approval, i.e. enabling) as an `Either`. @category constructors */
export const approveRoutesE: TransitionE<RouteTarget, TargetError | RouteNotAdvertised | HalfExitPair> =
  liftResult(approveRoutes)

/** `disableRoutes` as an `Either`. @category constructors */
export const disableRoutesE: TransitionE<RouteTarget, TargetError> = liftResult(disableRoutes)

/** `setApprovedRoutes` (replace one node's approved set) as an `Either`. @category constructors */
export const setApprovedRoutesE: TransitionE<
  { readonly nodeId: NodeId; readonly prefixes: ReadonlyArray<string> },
  TargetError | RouteNotAdvertised | HalfExitPair
> = liftResult(setApprovedRoutes)

/** `revokeRoutes` (disabling) as an `Either`. @category constructors */
export const revokeRoutesE: TransitionE<RouteTarget, TargetError> = liftResult(revokeRoutes)

/** `deleteRoutes` as an `Either`. @category constructors */
export const deleteRoutesE: TransitionE<RouteTarget, TargetError> = liftResult(deleteRoutes)

/** `setRoutePriority` as an `Either`. @category constructors */
export const setRoutePriorityE: (
  view: RouteView,
  target: RouteTarget,
  priority: number,
  now: number,
  options: Options,
) => Either<TargetError | InvalidPriority, ChangeSet> = liftResult(setRoutePriority)

/** `markRouteHealth` as an `Either`. @category constructors */
export const markRouteHealthE: (
  view: RouteView,
  target: RouteTarget,
  healthy: boolean,
  now: number,
  options: Options,
) => Either<TargetError, ChangeSet> = liftResult(markRouteHealth)
