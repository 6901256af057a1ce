/**
 * The reference model of the route core, written for clarity, not speed: it
 * keeps every row in one array, scans it for everything, and after every
 * command re-elects every prefix from scratch. Model-based tests run the same
 * commands against it and against the real core (and, later, every storage
 * adapter) and demand identical state. It shares only the prefix parser with
 * the code under test; the rules of DESIGN §2–4 are restated (autoApprovers,
 * containment included, in `referenceApproves.ts`).
 *
 * One file past 400 lines on purpose: the model is one readable object that
 * restates the whole contract, and splitting it would scatter the rules.
 */
import { Result } from "effect"
import type { Node, NodeId } from "../../src/domain/Node.js"
import type { Options } from "../../src/domain/Options.js"
import type { Policy } from "../../src/domain/Policy.js"
import { compare, normalisePrefix, type Prefix, parsePrefix } from "../../src/domain/Prefix.js"
import type { Route, RouteId } from "../../src/domain/Route.js"
import { isViaPrefix, validateViaPrefix } from "../../src/domain/via.js"
import { referenceApproves } from "./referenceApproves.js"

/** A command's outcome: done, or refused with a transition error tag. */
export type Outcome = { readonly ok: true } | { readonly ok: false; readonly tag: string }

/** Which routes a route command names. */
export type Target =
  | { readonly routeIds: ReadonlyArray<RouteId> }
  | { readonly nodeId: NodeId; readonly prefixes: ReadonlyArray<string> }

/** Plain comparable state: every node, live routes by id. */
export interface Snapshot {
  readonly nodes: ReadonlyArray<Node>
  readonly routes: ReadonlyArray<Route>
  readonly policy: Policy
  readonly nextRouteId: number
}

const OK: Outcome = { ok: true }
const fail = (tag: string): Outcome => ({ ok: false, tag })
const isExit = (p: Prefix): boolean => p.text === "0.0.0.0/0" || p.text === "::/0"

export class ReferenceModel {
  nodes: Node[] = []
  routes: Route[] = []
  policy: Policy = {}
  nextRouteId = 1

  /** `replica`: the holder of the sessions this model opens (the manager's replica id; `""` for the pure core). */
  constructor(
    readonly options: Options,
    readonly replica = "",
  ) {}

  // ---- reading -------------------------------------------------------------

  snapshot(): Snapshot {
    return {
      nodes: [...this.nodes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      routes: this.live().sort((a, b) => a.id - b.id),
      policy: this.policy,
      nextRouteId: this.nextRouteId,
    }
  }

  live(): Route[] {
    return this.routes.filter((r) => r.deletedAt === null)
  }

  node(id: NodeId): Node | undefined {
    return this.nodes.find((n) => n.id === id)
  }

  liveRoutesOf(nodeId: NodeId): Route[] {
    return this.live().filter((r) => r.nodeId === nodeId)
  }

  // ---- the command wrapper: mutate, stamp, elect, stamp --------------------

  private run(now: number, body: () => Outcome): Outcome {
    const before = new Map(this.routes.map((r) => [r.id, r]))
    const nodesBefore = this.nodes
    const routesBefore = this.routes
    const nextBefore = this.nextRouteId
    const policyBefore = this.policy
    const outcome = body()
    if (!outcome.ok) {
      this.nodes = nodesBefore
      this.routes = routesBefore
      this.nextRouteId = nextBefore
      this.policy = policyBefore
      return outcome
    }
    this.stamp(before, now)
    this.electAll(now)
    this.stamp(before, now)
    return outcome
  }

  /** Every row that differs from its state before the command gets `updatedAt = now`. */
  private stamp(before: Map<RouteId, Route>, now: number): void {
    this.routes = this.routes.map((r) => {
      const b = before.get(r.id)
      if (b === undefined) return { ...r, updatedAt: now }
      const same =
        b.advertised === r.advertised &&
        b.enabled === r.enabled &&
        b.isPrimary === r.isPrimary &&
        b.approvedBy === r.approvedBy &&
        b.priority === r.priority &&
        b.healthy === r.healthy &&
        b.deletedAt === r.deletedAt
      return same ? { ...r, updatedAt: b.updatedAt } : { ...r, updatedAt: now }
    })
  }

  private setRoute(id: RouteId, patch: Partial<Route>): void {
    this.routes = this.routes.map((r) => (r.id === id ? { ...r, ...patch } : r))
  }

  private setNode(id: NodeId, patch: Partial<Node>): void {
    this.nodes = this.nodes.map((n) => (n.id === id ? { ...n, ...patch } : n))
  }

  private liveNodeError(id: NodeId): Outcome | null {
    const n = this.node(id)
    if (n === undefined) return fail("UnknownNode")
    if (n.deletedAt !== null) return fail("NodeDeleted")
    return null
  }

  // ---- the election (DESIGN §3), from scratch --------------------------------

  online(n: Node, now: number): boolean {
    if (n.presence.sessions > 0) return true
    if (n.presence.disconnectedAt === null) return false
    return now < n.presence.disconnectedAt + this.options.gracePeriodMs
  }

  eligible(r: Route, now: number): boolean {
    const n = this.node(r.nodeId)
    if (n === undefined || n.deletedAt !== null) return false
    if (n.expiresAt !== null && now >= n.expiresAt) return false
    return (
      r.deletedAt === null &&
      r.advertised &&
      r.enabled &&
      r.healthy &&
      !isExit(r.prefix) &&
      this.online(n, now)
    )
  }

  private static rank(a: Route, b: Route): number {
    if (a.priority !== b.priority) return b.priority - a.priority
    if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt
    return a.id - b.id
  }

  winner(prefix: string, now: number): RouteId | null {
    const candidates = this.live().filter((r) => r.prefix.text === prefix && !isExit(r.prefix))
    const eligible = candidates.filter((r) => this.eligible(r, now)).sort(ReferenceModel.rank)
    const flagged = candidates.filter((r) => r.isPrimary).sort(ReferenceModel.rank)
    const sticky = flagged.filter((r) => this.eligible(r, now))
    if (sticky.length > 0) {
      const current = sticky[0]!
      if (this.options.preemption) {
        const challengers = eligible.filter((r) => {
          const n = this.node(r.nodeId)!
          if (r.priority <= current.priority || n.presence.sessions === 0) return false
          const since = Math.max(n.presence.connectedAt ?? r.updatedAt, r.updatedAt)
          return since + this.options.preemptDelayMs <= now
        })
        if (challengers.length > 0) return challengers[0]!.id
      }
      return current.id
    }
    if (eligible.length > 0) return eligible[0]!.id
    if (this.options.whenNoneEligible === "keep-last") {
      const kept = flagged.filter((r) => {
        const n = this.node(r.nodeId)
        return r.advertised && r.enabled && n !== undefined && n.deletedAt === null
      })
      if (kept.length > 0) return kept[0]!.id
    }
    return null
  }

  private electAll(now: number): void {
    const prefixes = new Set(this.live().map((r) => r.prefix.text))
    const winners = new Map<string, RouteId | null>()
    for (const p of prefixes) winners.set(p, this.winner(p, now))
    this.routes = this.routes.map((r) => {
      if (r.deletedAt !== null) return r.isPrimary ? { ...r, isPrimary: false } : r
      const should = winners.get(r.prefix.text) === r.id
      return r.isPrimary === should ? r : { ...r, isPrimary: should }
    })
  }

  // ---- node commands ---------------------------------------------------------

  upsertNode(
    input: {
      id: NodeId
      user: string
      tags?: ReadonlyArray<string>
      ephemeral?: boolean
      expiresAt?: number | null
    },
    now: number,
  ): Outcome {
    return this.run(now, () => {
      const existing = this.node(input.id)
      if (existing !== undefined && existing.deletedAt !== null) return fail("NodeDeleted")
      const tags = [...new Set(input.tags ?? existing?.tags ?? [])].sort()
      if (existing === undefined) {
        this.nodes = [
          ...this.nodes,
          {
            id: input.id,
            user: input.user,
            tags,
            ephemeral: input.ephemeral ?? false,
            createdAt: now,
            expiresAt: input.expiresAt ?? null,
            presence: { sessions: 0, replicas: {}, connectedAt: null, lastSeen: null, disconnectedAt: null },
            deletedAt: null,
          },
        ]
        return OK
      }
      const changedIdentity = existing.user !== input.user || existing.tags.join() !== tags.join()
      this.setNode(input.id, {
        user: input.user,
        tags,
        ephemeral: input.ephemeral ?? existing.ephemeral,
        expiresAt: input.expiresAt === undefined ? existing.expiresAt : input.expiresAt,
      })
      if (changedIdentity) this.reevaluate(input.id)
      return OK
    })
  }

  setTags(nodeId: NodeId, tags: ReadonlyArray<string>, now: number): Outcome {
    return this.run(now, () => {
      const e = this.liveNodeError(nodeId)
      if (e) return e
      const sorted = [...new Set(tags)].sort()
      if (this.node(nodeId)!.tags.join() === sorted.join()) return OK
      this.setNode(nodeId, { tags: sorted })
      this.reevaluate(nodeId)
      return OK
    })
  }

  connect(nodeId: NodeId, now: number): Outcome {
    return this.run(now, () => {
      const e = this.liveNodeError(nodeId)
      if (e) return e
      const p = this.node(nodeId)!.presence
      const replicas = { ...p.replicas, [this.replica]: (p.replicas[this.replica] ?? 0) + 1 }
      this.setNode(nodeId, {
        presence:
          p.sessions > 0
            ? { ...p, sessions: p.sessions + 1, replicas, lastSeen: now }
            : { sessions: 1, replicas, connectedAt: now, lastSeen: now, disconnectedAt: null },
      })
      return OK
    })
  }

  disconnect(nodeId: NodeId, now: number): Outcome {
    return this.run(now, () => {
      const e = this.liveNodeError(nodeId)
      if (e) return e
      const p = this.node(nodeId)!.presence
      const held = p.replicas[this.replica] ?? 0
      if (held === 0) return OK
      const replicas: Record<string, number> = { ...p.replicas, [this.replica]: held - 1 }
      if (held === 1) delete replicas[this.replica]
      this.setNode(nodeId, {
        presence:
          p.sessions > 1
            ? { ...p, sessions: p.sessions - 1, replicas, lastSeen: now }
            : { sessions: 0, replicas: {}, connectedAt: null, lastSeen: now, disconnectedAt: now },
      })
      return OK
    })
  }

  expire(nodeId: NodeId, at: number | undefined, now: number): Outcome {
    return this.run(now, () => {
      const e = this.liveNodeError(nodeId)
      if (e) return e
      this.setNode(nodeId, { expiresAt: at ?? now })
      return OK
    })
  }

  deleteNode(nodeId: NodeId, now: number): Outcome {
    return this.run(now, () => {
      const e = this.liveNodeError(nodeId)
      if (e) return e
      this.removeNode(nodeId, now)
      return OK
    })
  }

  logoutEphemeral(nodeId: NodeId, now: number): Outcome {
    return this.run(now, () => {
      const e = this.liveNodeError(nodeId)
      if (e) return e
      if (!this.node(nodeId)!.ephemeral) return fail("NotEphemeral")
      this.removeNode(nodeId, now)
      return OK
    })
  }

  private removeNode(nodeId: NodeId, now: number): void {
    for (const r of this.liveRoutesOf(nodeId)) this.setRoute(r.id, { deletedAt: now, isPrimary: false })
    const n = this.node(nodeId)!
    this.setNode(nodeId, {
      deletedAt: now,
      presence: { ...n.presence, sessions: 0, replicas: {}, connectedAt: null },
    })
  }

  /** Time passes: the model re-elects everything anyway, so a tick is just an election at `now`. */
  tick(now: number): Outcome {
    return this.run(now, () => OK)
  }

  // ---- policy --------------------------------------------------------------

  setPolicy(policy: Policy, now: number): Outcome {
    return this.run(now, () => {
      this.policy = policy
      for (const n of this.nodes) if (n.deletedAt === null) this.reevaluate(n.id)
      return OK
    })
  }

  private reevaluate(nodeId: NodeId): void {
    const node = this.node(nodeId)!
    for (const r of this.liveRoutesOf(nodeId)) {
      if (isExit(r.prefix)) continue
      const ok = referenceApproves(this.policy, node, r.prefix.text)
      if (r.approvedBy === "policy" && !ok) this.setRoute(r.id, { enabled: false, approvedBy: null })
      else if (r.advertised && !r.enabled && ok) this.setRoute(r.id, { enabled: true, approvedBy: "policy" })
    }
    const v4 = this.liveRoutesOf(nodeId).find((r) => r.prefix.text === "0.0.0.0/0")
    const v6 = this.liveRoutesOf(nodeId).find((r) => r.prefix.text === "::/0")
    const ok =
      referenceApproves(this.policy, node, "0.0.0.0/0") && referenceApproves(this.policy, node, "::/0")
    if ((v4?.approvedBy === "policy" || v6?.approvedBy === "policy") && !ok) {
      for (const r of [v4, v6]) if (r) this.setRoute(r.id, { enabled: false, approvedBy: null })
    } else if (ok && v4 && v6 && v4.advertised && v6.advertised && !v4.enabled && !v6.enabled) {
      for (const r of [v4, v6]) this.setRoute(r.id, { enabled: true, approvedBy: "policy" })
    }
  }

  // ---- advertise -----------------------------------------------------------

  /** Returns the outcome and the rejected inputs (sorted). */
  advertise(
    nodeId: NodeId,
    inputs: ReadonlyArray<string>,
    now: number,
  ): { outcome: Outcome; rejected: string[] } {
    const rejected: string[] = []
    const outcome = this.run(now, () => {
      const e = this.liveNodeError(nodeId)
      if (e) return e
      const node = this.node(nodeId)!
      const wanted = new Map<string, Prefix>()
      for (const input of inputs) {
        const parsed = normalisePrefix(input)
        if (Result.isFailure(parsed)) {
          rejected.push(input)
          continue
        }
        const p = parsed.success.prefix
        if (isViaPrefix(p) && Result.isFailure(validateViaPrefix(p))) {
          rejected.push(input)
          continue
        }
        if (parsed.success.masked) rejected.push(input)
        wanted.set(p.text, p)
      }
      const fresh = new Set<string>()
      const disable = this.options.onWithdraw === "disable"
      for (const r of this.liveRoutesOf(nodeId)) {
        if (wanted.has(r.prefix.text)) {
          if (!r.advertised) {
            fresh.add(r.prefix.text)
            if (!r.enabled && !isExit(r.prefix) && referenceApproves(this.policy, node, r.prefix.text)) {
              this.setRoute(r.id, { advertised: true, enabled: true, approvedBy: "policy" })
            } else this.setRoute(r.id, { advertised: true })
          }
        } else if (r.advertised) {
          this.setRoute(
            r.id,
            disable ? { advertised: false, enabled: false, approvedBy: null } : { advertised: false },
          )
        }
      }
      const known = new Set(this.liveRoutesOf(nodeId).map((r) => r.prefix.text))
      const added = [...wanted.values()].filter((p) => !known.has(p.text)).sort(compare)
      for (const p of added) {
        fresh.add(p.text)
        const ok = !isExit(p) && referenceApproves(this.policy, node, p.text)
        this.routes.push({
          id: this.nextRouteId++,
          nodeId,
          prefix: p,
          advertised: true,
          enabled: ok,
          isPrimary: false,
          approvedBy: ok ? "policy" : null,
          priority: 0,
          healthy: true,
          createdAt: now,
          updatedAt: now,
          deletedAt: null,
        })
      }
      // Exit pair rules.
      const v4 = this.liveRoutesOf(nodeId).find((r) => r.prefix.text === "0.0.0.0/0")
      const v6 = this.liveRoutesOf(nodeId).find((r) => r.prefix.text === "::/0")
      if (v4 || v6) {
        const half = !v4 || !v6
        if (half || (disable && (!v4.advertised || !v6.advertised))) {
          for (const r of [v4, v6]) if (r) this.setRoute(r.id, { enabled: false, approvedBy: null })
        } else if (
          v4.advertised &&
          v6.advertised &&
          !v4.enabled &&
          !v6.enabled &&
          (fresh.has("0.0.0.0/0") || fresh.has("::/0")) &&
          referenceApproves(this.policy, node, "0.0.0.0/0") &&
          referenceApproves(this.policy, node, "::/0")
        ) {
          for (const r of [v4, v6]) this.setRoute(r.id, { enabled: true, approvedBy: "policy" })
        }
      }
      return OK
    })
    return { outcome, rejected: rejected.sort() }
  }

  // ---- route commands ------------------------------------------------------

  private resolve(target: Target): Route[] | Outcome {
    const out: Route[] = []
    if ("routeIds" in target) {
      for (const id of target.routeIds) {
        const r = this.live().find((x) => x.id === id)
        if (!r) return fail("UnknownRoute")
        out.push(r)
      }
    } else {
      const e = this.liveNodeError(target.nodeId)
      if (e) return e
      for (const input of target.prefixes) {
        const parsed = parsePrefix(input)
        if (Result.isFailure(parsed)) return fail("InvalidPrefixInput")
        const r = this.liveRoutesOf(target.nodeId).find((x) => x.prefix.text === parsed.success.text)
        if (!r) return fail("NoSuchRoute")
        out.push(r)
      }
    }
    for (const r of [...out]) {
      if (isExit(r.prefix)) out.push(...this.liveRoutesOf(r.nodeId).filter((x) => isExit(x.prefix)))
    }
    return [...new Map(out.map((r) => [r.id, r])).values()]
  }

  private withTarget(target: Target, now: number, body: (routes: Route[]) => Outcome): Outcome {
    return this.run(now, () => {
      const routes = this.resolve(target)
      if (!Array.isArray(routes)) return routes
      return body(routes)
    })
  }

  enable(target: Target, now: number): Outcome {
    return this.withTarget(target, now, (routes) => {
      for (const r of routes.sort((a, b) => a.id - b.id)) {
        if (isExit(r.prefix)) {
          const mine = this.liveRoutesOf(r.nodeId)
          if (!mine.some((x) => x.prefix.text === "0.0.0.0/0" && x.advertised)) return fail("HalfExitPair")
          if (!mine.some((x) => x.prefix.text === "::/0" && x.advertised)) return fail("HalfExitPair")
        } else if (!r.advertised) return fail("RouteNotAdvertised")
      }
      for (const r of routes) if (!r.enabled) this.setRoute(r.id, { enabled: true, approvedBy: "manual" })
      return OK
    })
  }

  disable(target: Target, now: number): Outcome {
    return this.withTarget(target, now, (routes) => {
      for (const r of routes) this.setRoute(r.id, { enabled: false, approvedBy: null })
      return OK
    })
  }

  deleteRoutes(target: Target, now: number): Outcome {
    return this.withTarget(target, now, (routes) => {
      for (const r of routes) this.setRoute(r.id, { deletedAt: now, isPrimary: false })
      return OK
    })
  }

  setPriority(target: Target, priority: number, now: number): Outcome {
    if (!Number.isSafeInteger(priority)) return fail("InvalidPriority")
    return this.withTarget(target, now, (routes) => {
      for (const r of routes) this.setRoute(r.id, { priority })
      return OK
    })
  }

  markHealth(target: Target, healthy: boolean, now: number): Outcome {
    return this.withTarget(target, now, (routes) => {
      for (const r of routes) this.setRoute(r.id, { healthy })
      return OK
    })
  }
}
