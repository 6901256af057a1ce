/** A tiny driver for hand-written scenarios: one RouteIndex, a clock, and the transitions applied as they return. */
import { Result } from "effect"
import type { ChangeSet } from "../../src/domain/ChangeSet.js"
import { makeOptions, type Options } from "../../src/domain/Options.js"
import type { Policy } from "../../src/domain/Policy.js"
import type { Route } from "../../src/domain/Route.js"
import { RouteIndex } from "../../src/domain/RouteIndex.js"
import { advertise } from "../../src/domain/transitions/advertise.js"
import { connectNode, disconnectNode, upsertNode } from "../../src/domain/transitions/nodeCommands.js"
import { setPolicy } from "../../src/domain/transitions/setPolicy.js"
import { tick } from "../../src/domain/transitions/tick.js"
import { checkInvariants } from "./invariants.js"

export class Scenario {
  readonly index = RouteIndex.from({ nodes: [], routes: [], policy: {}, nextRouteId: 1 })
  readonly options: Options
  now = 1_000

  constructor(options: Partial<Options> = {}, policy?: Policy) {
    this.options = makeOptions(options)
    if (policy !== undefined) this.apply(setPolicy(this.index, policy, this.now, this.options))
  }

  /** Applies a successful transition (throws on a failure: scenarios use only valid steps). */
  apply(r: ChangeSet | Result.Result<ChangeSet, unknown>): ChangeSet {
    const cs = Result.isResult(r) ? (Result.getOrThrow(r) as ChangeSet) : r
    this.index.apply(cs)
    const broken = checkInvariants(this.index, this.now, this.options)
    if (broken.length > 0) throw new Error(`invariants broken: ${broken.join("; ")}`)
    return cs
  }

  node(id: string, user = "alice@", tags: string[] = []): this {
    this.apply(upsertNode(this.index, { id, user, tags }, this.now, this.options))
    return this
  }

  /** Registers, connects and advertises: a router online. */
  router(id: string, routes: string[], user = "alice@", tags: string[] = []): ChangeSet {
    this.node(id, user, tags)
    this.apply(connectNode(this.index, { nodeId: id }, this.now, this.options))
    return this.apply(advertise(this.index, { nodeId: id, routes }, this.now, this.options))
  }

  connect(id: string): ChangeSet {
    return this.apply(connectNode(this.index, { nodeId: id }, this.now, this.options))
  }

  disconnect(id: string): ChangeSet {
    return this.apply(disconnectNode(this.index, { nodeId: id }, this.now, this.options))
  }

  /** Advances the clock and runs the tick, as the manager does. */
  wait(ms: number): ChangeSet {
    this.now += ms
    const cs = this.apply(tick(this.index, this.now, this.options))
    this.index.settle(this.now, this.options)
    return cs
  }

  /** The live row of a node for a prefix. */
  row(nodeId: string, prefix: string): Route {
    const r = this.index.routesOfNode(nodeId).find((x) => x.prefix.text === prefix)
    if (r === undefined) throw new Error(`no route ${prefix} on ${nodeId}`)
    return r
  }

  /** The node holding the primary of a prefix, or null. */
  primaryNode(prefix: string): string | null {
    const ps = this.index.routesOfPrefix(prefix).filter((r) => r.isPrimary)
    return ps.length === 0 ? null : ps.map((r) => r.nodeId).join(",")
  }
}
