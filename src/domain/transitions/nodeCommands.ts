/**
 * Node lifecycle: register/update, tags, connect, disconnect (with grace),
 * expiry, delete and ephemeral logout (one path: every row soft-deleted at
 * once, re-elected with no grace).
 */
import { Result } from "effect"
import type { ChangeSet } from "../ChangeSet.js"
import { type NodeDeleted, NotEphemeral, nodeDeleted, type UnknownNode } from "../errors.js"
import { Draft } from "../internal/Draft.js"
import { endSessions } from "../internal/endSessions.js"
import { liveNode } from "../internal/lookup.js"
import { reevaluateNode } from "../internal/policyEval.js"
import { type Node, type NodeId, offline, type ReplicaId } from "../Node.js"
import type { Options } from "../Options.js"
import { closeSession, type HolderEnd, openSession } from "../presence.js"
import type { RouteView } from "../RouteView.js"

/** A node as the control plane registers it; omitted fields keep their stored value (or a default). @category models */
export interface NodeInput {
  readonly id: NodeId
  readonly user: string
  readonly tags?: ReadonlyArray<string>
  readonly ephemeral?: boolean
  /** Null: the key never expires. */
  readonly expiresAt?: number | null
}

/** Tags are a set: sorted, without duplicates, so their order never shows. */
const normaliseTags = (tags: ReadonlyArray<string>): ReadonlyArray<string> => Array.from(new Set(tags)).sort()

const sameTags = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean =>
  a.length === b.length && a.every((t, i) => t === b[i])

type NodeError = UnknownNode | NodeDeleted

const withNode = <E = never>(
  view: RouteView,
  nodeId: NodeId,
  now: number,
  options: Options,
  body: (draft: Draft, node: Node) => E | undefined,
): Result.Result<ChangeSet, NodeError | E> => {
  const draft = new Draft(view, now, options)
  const node = liveNode(draft, nodeId)
  if (Result.isFailure(node)) return Result.fail(node.failure)
  const error = body(draft, node.success)
  if (error !== undefined) return Result.fail(error)
  return Result.succeed(draft.finish())
}

/**
 * Registers a node (offline until its first connect) or updates its owner,
 * tags, ephemeral flag and expiry. An owner or tag change re-evaluates the
 * policy for its routes.
 *
 * @category constructors
 */
export const upsertNode = (
  view: RouteView,
  input: NodeInput,
  now: number,
  options: Options,
): Result.Result<ChangeSet, NodeDeleted> => {
  const draft = new Draft(view, now, options)
  const before = draft.node(input.id)
  if (before !== undefined && before.deletedAt !== null) return Result.fail(nodeDeleted(input.id))
  const tags = normaliseTags(input.tags ?? before?.tags ?? [])
  const next: Node =
    before === undefined
      ? {
          id: input.id,
          user: input.user,
          tags,
          ephemeral: input.ephemeral ?? false,
          createdAt: now,
          expiresAt: input.expiresAt ?? null,
          presence: offline,
          deletedAt: null,
        }
      : {
          ...before,
          user: input.user,
          tags,
          ephemeral: input.ephemeral ?? before.ephemeral,
          expiresAt: input.expiresAt === undefined ? before.expiresAt : input.expiresAt,
        }
  draft.putNode(next)
  if (before !== undefined && (before.user !== next.user || !sameTags(before.tags, next.tags))) {
    reevaluateNode(draft, next)
  }
  return Result.succeed(draft.finish())
}

/** Replaces a node's tags and re-evaluates the policy for its routes. @category constructors */
export const setTags = (
  view: RouteView,
  input: { readonly nodeId: NodeId; readonly tags: ReadonlyArray<string> },
  now: number,
  options: Options,
): Result.Result<ChangeSet, NodeError> =>
  withNode<never>(view, input.nodeId, now, options, (draft, node) => {
    const tags = normaliseTags(input.tags)
    if (sameTags(tags, node.tags)) return undefined
    const next = { ...node, tags }
    draft.putNode(next)
    reevaluateNode(draft, next)
    return undefined
  })

/** Who opens or closes a session: the node, and the replica holding it (default `""`, the anonymous holder). @category models */
export interface SessionInput {
  readonly nodeId: NodeId
  readonly replica?: ReplicaId
}

/** A session opened; the first one brings the node online and its routes back into elections. @category constructors */
export const connectNode = (
  view: RouteView,
  input: SessionInput,
  now: number,
  options: Options,
): Result.Result<ChangeSet, NodeError> =>
  withNode<never>(view, input.nodeId, now, options, (draft, node) => {
    draft.putNode({ ...node, presence: openSession(node.presence, input.replica ?? "", now) })
    return undefined
  })

/**
 * A session closed. When the last one goes, the node counts as online until
 * the grace period has passed (`tick` then fails over). A disconnect for which
 * the replica holds no session (e.g. one from before a restart) changes nothing.
 *
 * @category constructors
 */
export const disconnectNode = (
  view: RouteView,
  input: SessionInput,
  now: number,
  options: Options,
): Result.Result<ChangeSet, NodeError> =>
  withNode<never>(view, input.nodeId, now, options, (draft, node) => {
    const presence = closeSession(node.presence, input.replica ?? "", now)
    if (presence !== null) draft.putNode({ ...node, presence })
    return undefined
  })

/** Expires the node key at `at` (default now): its routes become ineligible then. @category constructors */
export const expireNode = (
  view: RouteView,
  input: { readonly nodeId: NodeId; readonly at?: number },
  now: number,
  options: Options,
): Result.Result<ChangeSet, NodeError> =>
  withNode<never>(view, input.nodeId, now, options, (draft, node) => {
    draft.putNode({ ...node, expiresAt: input.at ?? now })
    return undefined
  })

const remove = (draft: Draft, node: Node): void => {
  const routes = draft.routesOfNode(node.id)
  for (let i = 0; i < routes.length; i++) draft.softDelete(routes[i]!)
  draft.putNode({
    ...node,
    deletedAt: draft.now,
    presence: { ...node.presence, sessions: 0, replicas: {}, connectedAt: null },
  })
}

/**
 * Deletes a node (also the ephemeral GC path): the record is soft-deleted,
 * every row with it, and their prefixes re-elected at once, with no grace.
 *
 * @category constructors
 */
export const deleteNode = (
  view: RouteView,
  input: { readonly nodeId: NodeId },
  now: number,
  options: Options,
): Result.Result<ChangeSet, NodeError> =>
  withNode<never>(view, input.nodeId, now, options, (draft, node) => {
    remove(draft, node)
    return undefined
  })

/** An ephemeral node logged out: the same path as `deleteNode`. @category constructors */
export const logoutEphemeral = (
  view: RouteView,
  input: { readonly nodeId: NodeId },
  now: number,
  options: Options,
): Result.Result<ChangeSet, NodeError | NotEphemeral> =>
  withNode<NotEphemeral>(view, input.nodeId, now, options, (draft, node) => {
    if (!node.ephemeral) {
      return new NotEphemeral({ nodeId: node.id, message: `node ${node.id} is not ephemeral` })
    }
    remove(draft, node)
    return undefined
  })

/**
 * Drops the sessions of holders that ended (replicas whose lease lapsed, as
 * of the lapse): a node they alone kept online is disconnected then, its grace
 * window starts then, and `tick` fails it over when the window ends.
 *
 * @category constructors
 */
export const endHolderSessions = (
  view: RouteView,
  ended: HolderEnd,
  now: number,
  options: Options,
): ChangeSet => {
  const draft = new Draft(view, now, options)
  endSessions(view, draft, ended)
  return draft.finish()
}
