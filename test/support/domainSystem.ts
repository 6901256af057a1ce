/** The pure core over a `RouteIndex`, driven by model-test commands (the `System` of `commands.ts`). */
import { Result } from "effect"
import type { ChangeSet } from "../../src/domain/ChangeSet.js"
import type { Options } from "../../src/domain/Options.js"
import { RouteIndex } from "../../src/domain/RouteIndex.js"
import { reconcile } from "../../src/domain/reconcile.js"
import { advertise } from "../../src/domain/transitions/advertise.js"
import {
  connectNode,
  deleteNode,
  disconnectNode,
  expireNode,
  logoutEphemeral,
  setTags,
  upsertNode,
} from "../../src/domain/transitions/nodeCommands.js"
import {
  deleteRoutes,
  disableRoutes,
  enableRoutes,
  markRouteHealth,
  setRoutePriority,
} from "../../src/domain/transitions/routeCommands.js"
import { setPolicy } from "../../src/domain/transitions/setPolicy.js"
import { tick } from "../../src/domain/transitions/tick.js"
import { type Cmd, POLICIES, type System } from "./commands.js"
import { checkChangeSetShape, checkInvariants } from "./invariants.js"
import type { Outcome, Snapshot } from "./referenceModel.js"

export class DomainSystem implements System {
  readonly index: RouteIndex
  now: number
  /** Every change set applied, for tests that look at them. */
  readonly log: ChangeSet[] = []
  /** Shape problems of the change sets applied so far (reported with the invariants). */
  private readonly shapeProblems: string[] = []

  constructor(
    readonly options: Options,
    now = 0,
  ) {
    this.index = RouteIndex.from({ nodes: [], routes: [], policy: {}, nextRouteId: 1 })
    this.now = now
  }

  private take(r: Result.Result<ChangeSet, { readonly _tag: string }>): {
    outcome: Outcome
    rejected: string[]
  } {
    if (Result.isFailure(r)) return { outcome: { ok: false, tag: r.failure._tag }, rejected: [] }
    this.shapeProblems.push(...checkChangeSetShape(r.success))
    this.index.apply(r.success)
    this.log.push(r.success)
    return { outcome: { ok: true }, rejected: r.success.rejected.map((x) => x.input) }
  }

  exec(cmd: Cmd): { outcome: Outcome; rejected: string[] } {
    const { index: v, now, options: o } = this
    switch (cmd.kind) {
      case "register":
        return this.take(
          upsertNode(v, { id: cmd.id, user: cmd.user, tags: cmd.tags, ephemeral: cmd.ephemeral }, now, o),
        )
      case "advertise":
        return this.take(advertise(v, { nodeId: cmd.nodeId, routes: cmd.routes }, now, o))
      case "enable":
        return this.take(enableRoutes(v, cmd.target, now, o))
      case "disable":
        return this.take(disableRoutes(v, cmd.target, now, o))
      case "deleteRoutes":
        return this.take(deleteRoutes(v, cmd.target, now, o))
      case "priority":
        return this.take(setRoutePriority(v, cmd.target, cmd.priority, now, o))
      case "health":
        return this.take(markRouteHealth(v, cmd.target, cmd.healthy, now, o))
      case "connect":
        return this.take(connectNode(v, { nodeId: cmd.nodeId }, now, o))
      case "disconnect":
        return this.take(disconnectNode(v, { nodeId: cmd.nodeId }, now, o))
      case "deleteNode":
        return this.take(deleteNode(v, { nodeId: cmd.nodeId }, now, o))
      case "logout":
        return this.take(logoutEphemeral(v, { nodeId: cmd.nodeId }, now, o))
      case "expire":
        return this.take(
          expireNode(
            v,
            cmd.inMs === null ? { nodeId: cmd.nodeId } : { nodeId: cmd.nodeId, at: now + cmd.inMs },
            now,
            o,
          ),
        )
      case "tags":
        return this.take(setTags(v, { nodeId: cmd.nodeId, tags: cmd.tags }, now, o))
      case "policy":
        return this.take(Result.succeed(setPolicy(v, POLICIES[cmd.policy]!, now, o)))
      case "wait": {
        this.now += cmd.ms
        const out = this.take(Result.succeed(tick(v, this.now, o)))
        this.index.settle(this.now, o)
        return out
      }
    }
  }

  snapshot(): Snapshot {
    return this.index.snapshot()
  }

  invariants(): string[] {
    return [...this.shapeProblems, ...checkInvariants(this.index, this.now, this.options)]
  }

  reconcileChanges(): number {
    const { changeSet } = reconcile(this.index, this.now, this.options)
    return changeSet.routes.length + changeSet.nodes.length
  }
}
