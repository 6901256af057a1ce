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
  setRoutePriority,
  type TargetError,
} from "../domain/transitions/routeCommands.js"
import { mapVia, type UnmappedVia, unmapVia, type ViaError, validateViaPrefix } from "../domain/via.js"
import { liftResult } from "./fromResult.js"

type NodeError = UnknownNode | NodeDeleted

/** `parsePrefix` as an `Either`. @category constructors */
export const parsePrefixE: (input: string) => Either<PrefixParseError, Prefix> = liftResult(parsePrefix)

/** `normalisePrefix` as an `Either`. @category constructors */
export const normalisePrefixE: (input: string) => Either<PrefixParseError, NormalisedPrefix> =
  liftResult(normalisePrefix)

/** `mapVia` as an `Either`. @category constructors */
export const mapViaE: (site: number, v4: Prefix) => Either<ViaError, Prefix> = liftResult(mapVia)

/** `unmapVia` as an `Either`. @category getters */
export const unmapViaE: (p: Prefix) => Either<ViaError, UnmappedVia> = liftResult(unmapVia)

/** `validateViaPrefix` as an `Either`. @category constructors */
export const validateViaPrefixE: (p: Prefix) => Either<ViaError, Prefix> = liftResult(validateViaPrefix)

/** `validatePolicy` as an `Either`. @category constructors */
export const validatePolicyE: (input: unknown) => Either<PolicyError, Policy> = liftResult(validatePolicy)

/** `parsePolicyText` (JSON or HuJSON) as an `Either`. @category constructors */
export const parsePolicyTextE: (text: string) => Either<PolicyError, Policy> = liftResult(parsePolicyText)

/** `advertise` as an `Either`. @category constructors */
export const advertiseE: (
  view: RouteView,
  input: Advertisement,
  now: number,
  options: Options,
) => Either<NodeError, ChangeSet> = liftResult(advertise)

/** `upsertNode` as an `Either`. @category constructors */
export const upsertNodeE: (
  view: RouteView,
  input: NodeInput,
  now: number,
  options: Options,
) => Either<NodeDeleted, ChangeSet> = liftResult(upsertNode)

/** `setTags` as an `Either`. @category constructors */
export const setTagsE: (
  view: RouteView,
  input: { readonly nodeId: NodeId; readonly tags: ReadonlyArray<string> },
  now: number,
  options: Options,
) => Either<NodeError, ChangeSet> = liftResult(setTags)

/** `connectNode` as an `Either`. @category constructors */
export const connectNodeE: (
  view: RouteView,
  input: { readonly nodeId: NodeId },
  now: number,
  options: Options,
) => Either<NodeError, ChangeSet> = liftResult(connectNode)

/** `disconnectNode` as an `Either`. @category constructors */
export const disconnectNodeE: (
  view: RouteView,
  input: { readonly nodeId: NodeId },
  now: number,
  options: Options,
) => Either<NodeError, ChangeSet> = liftResult(disconnectNode)

/** `expireNode` as an `Either`. @category constructors */
export const expireNodeE: (
  view: RouteView,
  input: { readonly nodeId: NodeId; readonly at?: number },
  now: number,
  options: Options,
) => Either<NodeError, ChangeSet> = liftResult(expireNode)

/** `deleteNode` as an `Either`. @category constructors */
export const deleteNodeE: (
  view: RouteView,
  input: { readonly nodeId: NodeId },
  now: number,
  options: Options,
) => Either<NodeError, ChangeSet> = liftResult(deleteNode)

/** `logoutEphemeral` as an `Either`. @category constructors */
export const logoutEphemeralE: (
  view: RouteView,
  input: { readonly nodeId: NodeId },
  now: number,
  options: Options,
) => Either<NodeError | NotEphemeral, ChangeSet> = liftResult(logoutEphemeral)

/** `enableRoutes` as an `Either`. @category constructors */
export const enableRoutesE: (
  view: RouteView,
  target: RouteTarget,
  now: number,
  options: Options,
) => Either<TargetError | RouteNotAdvertised | HalfExitPair, ChangeSet> = liftResult(enableRoutes)

/** `approveRoutes` (a manual approval, i.e. enabling) as an `Either`. @category constructors */
export const approveRoutesE: (
  view: RouteView,
  target: RouteTarget,
  now: number,
  options: Options,
) => Either<TargetError | RouteNotAdvertised | HalfExitPair, ChangeSet> = liftResult(approveRoutes)

/** `disableRoutes` as an `Either`. @category constructors */
export const disableRoutesE: (
  view: RouteView,
  target: RouteTarget,
  now: number,
  options: Options,
) => Either<TargetError, ChangeSet> = liftResult(disableRoutes)

/** `revokeRoutes` (disabling) as an `Either`. @category constructors */
export const revokeRoutesE: (
  view: RouteView,
  target: RouteTarget,
  now: number,
  options: Options,
) => Either<TargetError, ChangeSet> = liftResult(revokeRoutes)

/** `deleteRoutes` as an `Either`. @category constructors */
export const deleteRoutesE: (
  view: RouteView,
  target: RouteTarget,
  now: number,
  options: Options,
) => Either<TargetError, ChangeSet> = liftResult(deleteRoutes)

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
