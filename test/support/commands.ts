/**
 * Random command sequences for model-based tests (`fc.commands`): the command
 * data, the arbitraries, and one `fc.Command` that runs a command against the
 * reference model and a `System` (the pure core over a `RouteIndex` here; a
 * storage adapter later) and demands the same outcome and the same state,
 * plus every invariant, after every step.
 */
import fc from "fast-check"
import { expect } from "vitest"
import type { Options } from "../../src/domain/Options.js"
import type { Policy } from "../../src/domain/Policy.js"
import type { RouteId } from "../../src/domain/Route.js"
import type { Outcome, ReferenceModel, Snapshot, Target } from "./referenceModel.js"

/** One command, as data. `wait` advances the clock and ticks. */
export type Cmd =
  | {
      readonly kind: "register"
      readonly id: string
      readonly user: string
      readonly tags: string[]
      readonly ephemeral: boolean
    }
  | { readonly kind: "advertise"; readonly nodeId: string; readonly routes: string[] }
  | { readonly kind: "enable" | "disable" | "deleteRoutes"; readonly target: Target }
  | { readonly kind: "priority"; readonly target: Target; readonly priority: number }
  | { readonly kind: "health"; readonly target: Target; readonly healthy: boolean }
  | { readonly kind: "connect" | "disconnect" | "deleteNode" | "logout"; readonly nodeId: string }
  | { readonly kind: "expire"; readonly nodeId: string; readonly inMs: number | null }
  | { readonly kind: "tags"; readonly nodeId: string; readonly tags: string[] }
  | { readonly kind: "policy"; readonly policy: number }
  | { readonly kind: "wait"; readonly ms: number }

/** The system under test, driven by the same commands as the model. */
export interface System {
  readonly now: number
  exec(cmd: Cmd): { readonly outcome: Outcome; readonly rejected: ReadonlyArray<string> }
  snapshot(): Snapshot
  /** Invariant violations of the current state. */
  invariants(): string[]
  /** Change set size of a reconcile of the current state (a sound state needs none). */
  reconcileChanges(): number
}

export const NODE_IDS = ["n1", "n2", "n3", "n4", "n5"] as const
export const USERS = ["alice@", "bob@", "carol@"] as const
export const TAGS = ["tag:router", "tag:exit"] as const

/** Prefixes drawn by commands: valid subnets (parent/child, IPv6, 4via6), the exit pair, and junk. */
export const PREFIXES = [
  "10.0.0.0/8",
  "10.1.0.0/16",
  "192.168.1.0/24",
  "fd7a:115c:a1e0:b1a:0:7:a01:100/120",
  "0.0.0.0/0",
  "::/0",
] as const
export const JUNK = ["10.1.0.1/16", "nonsense", "fd7a:115c:a1e0:b1a:1::/96", "010.0.0.0/8"] as const

export const POLICIES: ReadonlyArray<Policy> = [
  {},
  {
    groups: { "group:ops": ["bob@"] },
    autoApprovers: {
      routes: { "10.0.0.0/8": ["alice@"], "192.168.0.0/16": ["group:ops"] },
      exitNode: ["tag:exit"],
    },
  },
  {
    autoApprovers: { routes: { "0.0.0.0/0": ["tag:router"], "::/0": ["tag:router"] }, exitNode: ["alice@"] },
  },
  { autoApprovers: { routes: { "10.1.0.0/16": ["bob@", "tag:exit"] }, exitNode: ["bob@", "tag:router"] } },
  // Permissive: most advertisements are approved, so primaries and failovers happen often.
  {
    groups: { "group:all": ["alice@", "bob@", "carol@"] },
    autoApprovers: {
      routes: { "0.0.0.0/0": ["group:all", "tag:router", "tag:exit"], "::/0": ["group:all", "tag:router"] },
      exitNode: ["group:all", "tag:exit"],
    },
  },
]

/** Index of the permissive policy, the one model tests start with. */
export const PERMISSIVE = POLICIES.length - 1

const nodeId = fc.constantFrom(...NODE_IDS)
const prefix = fc.constantFrom(...PREFIXES)
const target: fc.Arbitrary<Target> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ nodeId, prefixes: fc.uniqueArray(prefix, { minLength: 1, maxLength: 2 }) }),
  },
  { weight: 1, arbitrary: fc.record({ nodeId, prefixes: fc.constant(["nonsense"]) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      routeIds: fc.array(fc.integer({ min: 1, max: 14 }), { minLength: 1, maxLength: 2 }),
    }),
  },
)

/** Arbitraries of every command, weighted towards the ones that move primaries. */
export const cmdArbitrary: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("register" as const),
      id: nodeId,
      user: fc.constantFrom(...USERS),
      tags: fc.subarray([...TAGS]),
      ephemeral: fc.boolean(),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("advertise" as const),
      nodeId,
      routes: fc.array(
        fc.oneof({ weight: 6, arbitrary: prefix }, { weight: 1, arbitrary: fc.constantFrom(...JUNK) }),
        {
          maxLength: 6,
        },
      ),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom("enable" as const), target }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constantFrom("disable" as const, "deleteRoutes" as const), target }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("priority" as const),
      target,
      priority: fc.integer({ min: -1, max: 2 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("health" as const), target, healthy: fc.boolean() }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constantFrom("connect" as const, "disconnect" as const), nodeId }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constantFrom("deleteNode" as const, "logout" as const), nodeId }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("expire" as const),
      nodeId,
      inMs: fc.constantFrom(null, 0, 10_000, 100_000),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("tags" as const), nodeId, tags: fc.subarray([...TAGS]) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("policy" as const), policy: fc.nat(POLICIES.length - 1) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("wait" as const),
      ms: fc.constantFrom(1, 5_000, 15_000, 16_000, 60_000),
    }),
  },
)

/** The model's side of a command. */
export const execModel = (
  model: ReferenceModel,
  clock: { now: number },
  cmd: Cmd,
): { outcome: Outcome; rejected: string[] } => {
  const now = clock.now
  const none: string[] = []
  switch (cmd.kind) {
    case "register":
      return {
        outcome: model.upsertNode(
          { id: cmd.id, user: cmd.user, tags: cmd.tags, ephemeral: cmd.ephemeral },
          now,
        ),
        rejected: none,
      }
    case "advertise":
      return model.advertise(cmd.nodeId, cmd.routes, now)
    case "enable":
      return { outcome: model.enable(cmd.target, now), rejected: none }
    case "disable":
      return { outcome: model.disable(cmd.target, now), rejected: none }
    case "deleteRoutes":
      return { outcome: model.deleteRoutes(cmd.target, now), rejected: none }
    case "priority":
      return { outcome: model.setPriority(cmd.target, cmd.priority, now), rejected: none }
    case "health":
      return { outcome: model.markHealth(cmd.target, cmd.healthy, now), rejected: none }
    case "connect":
      return { outcome: model.connect(cmd.nodeId, now), rejected: none }
    case "disconnect":
      return { outcome: model.disconnect(cmd.nodeId, now), rejected: none }
    case "deleteNode":
      return { outcome: model.deleteNode(cmd.nodeId, now), rejected: none }
    case "logout":
      return { outcome: model.logoutEphemeral(cmd.nodeId, now), rejected: none }
    case "expire":
      return {
        outcome: model.expire(cmd.nodeId, cmd.inMs === null ? undefined : now + cmd.inMs, now),
        rejected: none,
      }
    case "tags":
      return { outcome: model.setTags(cmd.nodeId, cmd.tags, now), rejected: none }
    case "policy":
      return { outcome: model.setPolicy(POLICIES[cmd.policy]!, now), rejected: none }
    case "wait":
      clock.now += cmd.ms
      return { outcome: model.tick(clock.now), rejected: none }
  }
}

/** The model plus its clock. */
export interface ModelWorld {
  readonly model: ReferenceModel
  readonly clock: { now: number }
}

const primaries = (s: Snapshot): Map<string, RouteId> =>
  new Map(s.routes.filter((r) => r.isPrimary).map((r) => [r.prefix.text, r.id]))

/** One step: same outcome, same state, every invariant; invariant 5 and a no-op reconcile on top. */
export class Step implements fc.Command<ModelWorld, System> {
  constructor(
    readonly cmd: Cmd,
    readonly options: Options,
  ) {}

  check(): boolean {
    return true
  }

  run(m: ModelWorld, r: System): void {
    const before = m.model.snapshot()
    const beforeNow = m.clock.now
    const eligibleBefore = new Set(
      before.routes.filter((x) => m.model.eligible(x, beforeNow)).map((x) => x.id),
    )
    const expected = execModel(m.model, m.clock, this.cmd)
    const actual = r.exec(this.cmd)
    expect(actual.outcome).toEqual(expected.outcome)
    expect([...actual.rejected].sort()).toEqual(expected.rejected)
    expect(r.now).toBe(m.clock.now)
    const after = m.model.snapshot()
    expect(r.snapshot()).toEqual(after)
    expect(r.invariants()).toEqual([])
    expect(r.reconcileChanges()).toBe(0)
    // 5. A primary that was eligible and still is does not move (unless preemption may move it).
    if (!this.options.preemption) {
      const now = primaries(after)
      for (const [prefix, id] of primaries(before)) {
        const still = after.routes.find((x) => x.id === id)
        if (eligibleBefore.has(id) && still !== undefined && m.model.eligible(still, m.clock.now)) {
          expect(now.get(prefix)).toBe(id)
        }
      }
    }
  }

  toString(): string {
    return JSON.stringify(this.cmd)
  }
}

/** `fc.commands` over every command kind. */
export const commandsArbitrary = (options: Options, maxCommands = 40) =>
  fc.commands([cmdArbitrary.map((c) => new Step(c, options))], { maxCommands, size: "max" })
