/** Input resolution shared by the commands: live node by id, routes by id or node + prefixes. */
import { Result } from "effect"
import {
  type InvalidPrefixInput,
  type NodeDeleted,
  type NoSuchRoute,
  nodeDeleted,
  noSuchRoute,
  parsePrefixInput,
  type UnknownNode,
  type UnknownRoute,
  unknownNode,
  unknownRoute,
} from "../errors.js"
import type { Node, NodeId } from "../Node.js"
import { isExitRoute } from "../Prefix.js"
import type { Route, RouteId } from "../Route.js"
import type { RouteView } from "../RouteView.js"
import type { Draft } from "./Draft.js"
import { exitRows } from "./exitPair.js"

/** Which routes a route command acts on: ids, or one node's prefixes (strict prefix text). */
export type RouteTarget =
  | { readonly routeIds: ReadonlyArray<RouteId> }
  | { readonly nodeId: NodeId; readonly prefixes: ReadonlyArray<string> }

export type TargetError = UnknownRoute | UnknownNode | NodeDeleted | InvalidPrefixInput | NoSuchRoute

/** The live, not deleted node. */
export const liveNode = (draft: Draft, id: NodeId): Result.Result<Node, UnknownNode | NodeDeleted> => {
  const node = draft.node(id)
  if (node === undefined) return Result.fail(unknownNode(id))
  if (node.deletedAt !== null) return Result.fail(nodeDeleted(id))
  return Result.succeed(node)
}

/** The view's live nodes that pass `keep`, ordered by id, so a pass over them is deterministic. */
export const liveNodesById = (view: RouteView, keep: (n: Node) => boolean = () => true): Node[] => {
  const nodes: Node[] = []
  for (const n of view.allNodes()) if (n.deletedAt === null && keep(n)) nodes.push(n)
  return nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** The target's live rows, each once, ordered by id; exit rows bring their pair partner. */
export const resolveTarget = (draft: Draft, target: RouteTarget): Result.Result<Route[], TargetError> => {
  const found = new Map<RouteId, Route>()
  if ("routeIds" in target) {
    for (const id of target.routeIds) {
      const r = draft.route(id)
      if (r === undefined) return Result.fail(unknownRoute(id))
      found.set(r.id, r)
    }
  } else {
    const node = liveNode(draft, target.nodeId)
    if (Result.isFailure(node)) return Result.fail(node.failure)
    const rows = draft.routesOfNode(target.nodeId)
    for (const input of target.prefixes) {
      const parsed = parsePrefixInput(input)
      if (Result.isFailure(parsed)) return Result.fail(parsed.failure)
      const text = parsed.success.text
      const r = rows.find((x) => x.prefix.text === text)
      if (r === undefined) return Result.fail(noSuchRoute(target.nodeId, text))
      found.set(r.id, r)
    }
  }
  for (const r of Array.from(found.values())) {
    if (!isExitRoute(r.prefix)) continue
    const { v4, v6 } = exitRows(draft.routesOfNode(r.nodeId))
    if (v4 !== undefined) found.set(v4.id, v4)
    if (v6 !== undefined) found.set(v6.id, v6)
  }
  return Result.succeed(Array.from(found.values()).sort((a, b) => a.id - b.id))
}
