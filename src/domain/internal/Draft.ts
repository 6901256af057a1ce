/**
 * The change-set builder every transition uses: an overlay of written rows on
 * top of a read-only `RouteView`. Transitions read through it, write rows into
 * it, and `finish()` re-elects every prefix whose routes or routers changed and
 * turns the overlay into a sorted `ChangeSet`. The view is never mutated.
 */
import type { Change, ChangeSet, PrimaryChange, Rejection } from "../ChangeSet.js"
import { electPrimary } from "../election.js"
import type { Node, NodeId } from "../Node.js"
import type { Options } from "../Options.js"
import type { Policy } from "../Policy.js"
import { compare, isExitRoute, type Prefix } from "../Prefix.js"
import type { Route, RouteId } from "../Route.js"
import type { RouteView } from "../RouteView.js"

const EXIT_V4 = "0.0.0.0/0"
const EXIT_V6 = "::/0"

/** Fields a new row may set; the rest take the defaults of a fresh advertisement. */
export type NewRoute = Partial<Pick<Route, "advertised" | "enabled" | "approvedBy" | "priority" | "healthy">>

const sameRoute = (a: Route, b: Route): boolean =>
  a.advertised === b.advertised &&
  a.enabled === b.enabled &&
  a.isPrimary === b.isPrimary &&
  a.approvedBy === b.approvedBy &&
  a.priority === b.priority &&
  a.healthy === b.healthy &&
  a.deletedAt === b.deletedAt &&
  a.nodeId === b.nodeId &&
  a.prefix.text === b.prefix.text &&
  a.createdAt === b.createdAt

const sameTags = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

const sameNode = (a: Node, b: Node): boolean =>
  a.user === b.user &&
  a.ephemeral === b.ephemeral &&
  a.createdAt === b.createdAt &&
  a.expiresAt === b.expiresAt &&
  a.deletedAt === b.deletedAt &&
  a.presence.sessions === b.presence.sessions &&
  a.presence.connectedAt === b.presence.connectedAt &&
  a.presence.lastSeen === b.presence.lastSeen &&
  a.presence.disconnectedAt === b.presence.disconnectedAt &&
  sameTags(a.tags, b.tags)

/** Node fields whose change can move an election. */
const eligibilityMoved = (a: Node, b: Node): boolean =>
  a.deletedAt !== b.deletedAt ||
  a.expiresAt !== b.expiresAt ||
  a.presence.sessions !== b.presence.sessions ||
  a.presence.disconnectedAt !== b.presence.disconnectedAt ||
  a.presence.connectedAt !== b.presence.connectedAt

const push = <K, V>(m: Map<K, V[]>, k: K, v: V): void => {
  const xs = m.get(k)
  if (xs === undefined) m.set(k, [v])
  else xs.push(v)
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Exit pair served: both exit rows live, advertised and enabled. */
export const exitServed = (routes: ReadonlyArray<Route>): boolean => {
  let v4 = false
  let v6 = false
  for (let i = 0; i < routes.length; i++) {
    const r = routes[i]!
    if (r.deletedAt !== null || !r.advertised || !r.enabled) continue
    if (r.prefix.text === EXIT_V4) v4 = true
    else if (r.prefix.text === EXIT_V6) v6 = true
  }
  return v4 && v6
}

/** The transition workspace; one per command. */
export class Draft {
  private readonly routeAfter = new Map<RouteId, Route>()
  private readonly createdByNode = new Map<NodeId, RouteId[]>()
  private readonly createdByPrefix = new Map<string, RouteId[]>()
  private readonly nodeAfter = new Map<NodeId, Node>()
  private readonly toElect = new Set<string>()
  private readonly rejections: Rejection[] = []
  private newPolicy: Policy | null = null
  nextRouteId: number

  constructor(
    readonly view: RouteView,
    readonly now: number,
    readonly options: Options,
  ) {
    this.nextRouteId = view.nextRouteId
  }

  node(id: NodeId): Node | undefined {
    return this.nodeAfter.get(id) ?? this.view.node(id)
  }

  route(id: RouteId): Route | undefined {
    const r = this.routeAfter.get(id) ?? this.view.route(id)
    return r === undefined || r.deletedAt !== null ? undefined : r
  }

  get policy(): Policy {
    return this.newPolicy ?? this.view.policy
  }

  /** Live rows of a node, as written so far. */
  routesOfNode(id: NodeId): Route[] {
    return this.overlay(this.view.routesOfNode(id), this.createdByNode.get(id))
  }

  /** Live rows of a prefix, as written so far. */
  routesOfPrefix(text: string): Route[] {
    return this.overlay(this.view.routesOfPrefix(text), this.createdByPrefix.get(text))
  }

  private overlay(base: ReadonlyArray<Route>, created: ReadonlyArray<RouteId> | undefined): Route[] {
    const out: Route[] = []
    for (let i = 0; i < base.length; i++) {
      const r = this.routeAfter.get(base[i]!.id) ?? base[i]!
      if (r.deletedAt === null) out.push(r)
    }
    if (created !== undefined) {
      for (let i = 0; i < created.length; i++) {
        const r = this.routeAfter.get(created[i]!)!
        if (r.deletedAt === null) out.push(r)
      }
    }
    return out
  }

  /** Writes a patch to a row (no-op when nothing differs); the prefix is re-elected at `finish`. */
  update(route: Route, patch: Partial<Omit<Route, "id" | "nodeId" | "prefix" | "createdAt">>): Route {
    const next: Route = { ...route, ...patch, updatedAt: this.now }
    if (sameRoute(route, next)) return route
    this.routeAfter.set(route.id, next)
    this.toElect.add(route.prefix.text)
    return next
  }

  /** Soft-deletes a row; a deleted row never keeps the primary flag. */
  softDelete(route: Route): Route {
    return this.update(route, { deletedAt: this.now, isPrimary: false })
  }

  /** Adds a row with the next id. */
  create(nodeId: NodeId, prefix: Prefix, fields: NewRoute): Route {
    const enabled = fields.enabled ?? false
    const r: Route = {
      id: this.nextRouteId++,
      nodeId,
      prefix,
      advertised: fields.advertised ?? true,
      enabled,
      isPrimary: false,
      approvedBy: enabled ? (fields.approvedBy ?? null) : null,
      priority: fields.priority ?? 0,
      healthy: fields.healthy ?? true,
      createdAt: this.now,
      updatedAt: this.now,
      deletedAt: null,
    }
    this.routeAfter.set(r.id, r)
    push(this.createdByNode, nodeId, r.id)
    push(this.createdByPrefix, prefix.text, r.id)
    this.toElect.add(prefix.text)
    return r
  }

  /** Writes a node record; when its eligibility inputs moved, its prefixes are re-elected. */
  putNode(next: Node): void {
    const before = this.node(next.id)
    if (before !== undefined && sameNode(before, next)) return
    this.nodeAfter.set(next.id, next)
    if (before === undefined || eligibilityMoved(before, next)) this.elect(...this.routesOfNode(next.id))
  }

  /** Schedules the prefixes of these routes for re-election. */
  elect(...routes: ReadonlyArray<Route>): void {
    for (let i = 0; i < routes.length; i++) this.toElect.add(routes[i]!.prefix.text)
  }

  /** Schedules one prefix (canonical text) for re-election. */
  electPrefix(text: string): void {
    this.toElect.add(text)
  }

  reject(input: string, reason: string): void {
    this.rejections.push({ input, reason })
  }

  setPolicy(policy: Policy): void {
    this.newPolicy = policy
  }

  /** Runs the election on every scheduled prefix and returns the change set. */
  finish(): ChangeSet {
    const prefixes = Array.from(this.toElect).sort(byText)
    const primaries: PrimaryChange[] = []
    for (const text of prefixes) {
      const candidates = this.routesOfPrefix(text)
      const exit = text === EXIT_V4 || text === EXIT_V6
      const winner = exit ? null : electPrimary(candidates, this, this.now, this.options)
      for (let i = 0; i < candidates.length; i++) {
        const r = candidates[i]!
        if (r.isPrimary !== (r.id === winner)) this.update(r, { isPrimary: r.id === winner })
      }
      const before = this.primaryInView(text)
      if (before !== winner) primaries.push({ prefix: text, before, after: winner })
    }
    return this.build(primaries)
  }

  private primaryInView(text: string): RouteId | null {
    const rows = this.view.routesOfPrefix(text)
    let found: RouteId | null = null
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!
      if (r.isPrimary && r.deletedAt === null && (found === null || r.id < found)) found = r.id
    }
    return found
  }

  private build(primaries: PrimaryChange[]): ChangeSet {
    const routes: Change<Route>[] = []
    const ids = Array.from(this.routeAfter.keys()).sort((a, b) => a - b)
    const prefixSet = new Set<string>()
    const nodeSet = new Set<NodeId>()
    const exitNodes = new Set<NodeId>()
    for (const id of ids) {
      const after = this.routeAfter.get(id)!
      const before = this.view.route(id) ?? null
      if (before !== null && sameRoute(before, after)) continue
      routes.push({ before, after })
      prefixSet.add(after.prefix.text)
      const servedBefore = before !== null && before.deletedAt === null && before.isPrimary
      const servedAfter = after.deletedAt === null && after.isPrimary
      if (servedBefore !== servedAfter) nodeSet.add(after.nodeId)
      if (isExitRoute(after.prefix)) exitNodes.add(after.nodeId)
    }
    for (const id of exitNodes) {
      if (exitServed(this.view.routesOfNode(id)) !== exitServed(this.routesOfNode(id))) nodeSet.add(id)
    }
    const nodes: Change<Node>[] = []
    for (const id of Array.from(this.nodeAfter.keys()).sort(byText)) {
      const after = this.nodeAfter.get(id)!
      const before = this.view.node(id) ?? null
      if (before !== null && sameNode(before, after)) continue
      nodes.push({ before, after })
    }
    const rejected = this.rejections
      .slice()
      .sort((a, b) => byText(a.input, b.input) || byText(a.reason, b.reason))
    return {
      nodes,
      routes,
      primaries,
      affectedPrefixes: Array.from(prefixSet).sort(byText),
      affectedNodes: Array.from(nodeSet).sort(byText),
      rejected,
      policy: this.newPolicy,
      nextRouteId: this.nextRouteId,
    }
  }
}

/** Sorts prefixes the way new rows are numbered: by family, address, length. */
export const byPrefix = (a: Prefix, b: Prefix): number => compare(a, b)
