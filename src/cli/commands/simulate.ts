/**
 * `simulate`: builds a synthetic tailnet in an empty store, then plays
 * simulated seconds of router disconnects and reconnects, client churn and
 * advertisement churn, ticking the election each second so grace periods end
 * and failovers happen. Like the manager, it keeps an in-memory index and
 * persists every change set atomically; unlike a server it drives its own
 * clock, so a minute of tailnet life plays in seconds.
 */
import { performance } from "node:perf_hooks"
import { Effect, Result } from "effect"
import { indexSide, writeThrough } from "../../app/writeThrough.js"
import type { ChangeSet } from "../../domain/ChangeSet.js"
import { RouteIndex } from "../../domain/RouteIndex.js"
import { advertise } from "../../domain/transitions/advertise.js"
import { connectNode, disconnectNode, upsertNode } from "../../domain/transitions/nodeCommands.js"
import { setPolicy } from "../../domain/transitions/setPolicy.js"
import { tick } from "../../domain/transitions/tick.js"
import { seededRandom } from "../../internal/seededRandom.js"
import { RouteRepository } from "../../ports/RouteRepository.js"
import { integerArg, stringOption } from "../args.js"
import { CommandError, UsageError } from "../CliError.js"
import { type CommandRun, withStore } from "../CommandContext.js"
import { makeProgress } from "../progress.js"
import { syntheticTailnet } from "../syntheticTailnet.js"

/** What a simulation did. @category models */
export interface SimulationSummary {
  readonly nodes: number
  readonly routers: number
  readonly prefixes: number
  readonly simulatedSeconds: number
  readonly operations: {
    readonly total: number
    readonly connects: number
    readonly disconnects: number
    readonly advertisements: number
    readonly ticks: number
  }
  /** Over the run: times a prefix got a primary where it had none (events, not prefixes). */
  readonly elections: number
  /** Over the run: times a primary moved from one route to another. */
  readonly failovers: number
  /** Over the run: times a prefix was left with no primary (events: one prefix can count several times). */
  readonly lost: number
  /** At the end: prefixes with a primary (of `prefixes`). */
  readonly primariesAtEnd: number
  /** Wall-clock milliseconds. */
  readonly timings: {
    readonly setupMs: number
    readonly playMs: number
    readonly p50Ms: number
    readonly p95Ms: number
    readonly maxMs: number
  }
}

const quantile = (sorted: ReadonlyArray<number>, q: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!

const round2 = (x: number): number => Math.round(x * 100) / 100

/** `simulate --nodes N [--routers-pct P] [--seconds S] [--seed N]`. @category constructors */
export const simulate: CommandRun = async (ctx) => {
  const name = ctx.command.name
  const nodesText = stringOption(ctx.options, "nodes")
  if (nodesText === undefined) throw new UsageError("'simulate' needs --nodes N", name)
  const nodes = integerArg(nodesText, "--nodes", 1, 100_000, name)
  const pct = integerArg(stringOption(ctx.options, "routers-pct") ?? "20", "--routers-pct", 0, 100, name)
  const seconds = integerArg(stringOption(ctx.options, "seconds") ?? "60", "--seconds", 0, 86_400, name)
  const seed = integerArg(stringOption(ctx.options, "seed") ?? "1", "--seed", 0, 0xffffffff, name)
  const random = seededRandom(seed)
  const pick = <A>(xs: ReadonlyArray<A>): A => xs[Math.floor(random() * xs.length)]!
  const tailnet = syntheticTailnet(nodes, pct, random)
  const options = ctx.routeOptions

  await withStore(ctx, true, async (session) => {
    const existing = await session.snapshot()
    if (existing.nodes.length > 0) {
      throw new CommandError(
        `${session.label} already holds ${existing.nodes.length} nodes; simulate builds its tailnet in an empty store (use a scratch --db, e.g. sqlite:/tmp/sim.db)`,
        "STORE_NOT_EMPTY",
        { store: session.label },
      )
    }
    const index = RouteIndex.from(existing)
    const latencies: number[] = []
    const counts = { connects: 0, disconnects: 0, advertisements: 0, ticks: 0 }
    let elections = 0
    let failovers = 0
    let lost = 0
    let now = ctx.io.now()

    const run = async (
      decided: Result.Result<ChangeSet, { readonly message: string }> | ChangeSet,
    ): Promise<void> => {
      const started = performance.now()
      const changes = Result.isResult(decided)
        ? Result.isFailure(decided)
          ? (() => {
              throw new CommandError(`simulation step failed: ${decided.failure.message}`)
            })()
          : decided.success
        : decided
      await session.run(
        Effect.flatMap(RouteRepository, (repo) =>
          writeThrough(repo, indexSide(index), {
            compute: () => Result.succeed(changes),
            changes: (cs) => cs,
            origin: "cli",
            // Commit times are wall time; the simulated clock only drives the transitions.
            now: () => ctx.io.now(),
            retries: 0,
          }),
        ),
      )
      latencies.push(performance.now() - started)
      for (const m of changes.primaries) {
        if (m.after === null) lost++
        else if (m.before === null) elections++
        else failovers++
      }
    }

    const progress = makeProgress(ctx.io.stderr, nodes + seconds)
    const status = (): string => `elections ${elections}  failovers ${failovers}`
    const setupStart = performance.now()
    await run(setPolicy(index, tailnet.policy, now, options))
    for (let i = 0; i < tailnet.nodes.length; i++) {
      const n = tailnet.nodes[i]!
      await run(upsertNode(index, { id: n.id, user: n.user, tags: n.tags }, now, options))
      if (n.routes.length > 0) {
        await run(advertise(index, { nodeId: n.id, routes: n.routes }, now, options))
        counts.advertisements++
      }
      await run(connectNode(index, { nodeId: n.id }, now, options))
      counts.connects++
      if (i % 50 === 0) progress.update(i + 1, `building tailnet  ${status()}`)
    }
    const setupMs = performance.now() - setupStart

    const byId = new Map(tailnet.nodes.map((n) => [n.id, n]))
    const routers = tailnet.routers
    const clients = tailnet.nodes.filter((n) => n.routes.length === 0).map((n) => n.id)
    const online = new Set(tailnet.nodes.map((n) => n.id))
    const withdrawn = new Set<string>()
    const perSecond = (population: number, rate: number): number =>
      population === 0 ? 0 : Math.max(1, Math.round(population * rate))

    const playStart = performance.now()
    for (let s = 1; s <= seconds; s++) {
      now += 1000
      // Routers drop (2 %/s), come back (15 % of the offline ones each second), and churn their advertisements (1 %/s).
      for (let k = perSecond(routers.length, 0.02); k > 0; k--) {
        const id = pick(routers)
        if (!online.has(id)) continue
        online.delete(id)
        await run(disconnectNode(index, { nodeId: id }, now, options))
        counts.disconnects++
      }
      for (const id of routers) {
        if (online.has(id) || random() >= 0.15) continue
        online.add(id)
        await run(connectNode(index, { nodeId: id }, now, options))
        counts.connects++
      }
      for (let k = perSecond(routers.length, 0.01); k > 0; k--) {
        const id = pick(routers)
        const back = withdrawn.has(id)
        if (back) withdrawn.delete(id)
        else withdrawn.add(id)
        await run(advertise(index, { nodeId: id, routes: back ? byId.get(id)!.routes : [] }, now, options))
        counts.advertisements++
      }
      for (let k = perSecond(clients.length, 0.01); k > 0; k--) {
        const id = pick(clients)
        const up = online.has(id)
        if (up) online.delete(id)
        else online.add(id)
        await run((up ? disconnectNode : connectNode)(index, { nodeId: id }, now, options))
        if (up) counts.disconnects++
        else counts.connects++
      }
      await run(tick(index, now, options))
      index.settle(now, options)
      counts.ticks++
      progress.update(nodes + s, `${s}/${seconds} s  ${status()}`)
    }
    const playMs = performance.now() - playStart
    progress.finish()

    let primariesAtEnd = 0
    for (const r of index.allRoutes()) if (r.isPrimary) primariesAtEnd++
    const sorted = latencies.slice().sort((a, b) => a - b)
    const summary: SimulationSummary = {
      nodes,
      routers: routers.length,
      prefixes: tailnet.prefixes,
      simulatedSeconds: seconds,
      operations: { total: latencies.length, ...counts },
      elections,
      failovers,
      lost,
      primariesAtEnd,
      timings: {
        setupMs: round2(setupMs),
        playMs: round2(playMs),
        p50Ms: round2(quantile(sorted, 0.5)),
        p95Ms: round2(quantile(sorted, 0.95)),
        maxMs: round2(sorted[sorted.length - 1] ?? 0),
      },
    }
    ctx.out(ctx.json ? `${JSON.stringify(summary, null, 2)}\n` : summaryText(summary, session.label))
  })
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`

/** The summary as text. @category getters */
export const summaryText = (s: SimulationSummary, store: string): string => {
  const o = s.operations
  const t = s.timings
  return [
    `simulated ${s.simulatedSeconds} s of a tailnet of ${s.nodes} nodes (${s.routers} routers, ${s.prefixes} subnet prefixes) in ${store}`,
    `operations: ${o.total} (${o.connects} connects, ${o.disconnects} disconnects, ${o.advertisements} advertisements, ${o.ticks} ticks, plus registrations)`,
    `over the run: ${plural(s.elections, "election")}, ${plural(s.failovers, "failover")}, ${plural(s.lost, "loss", "losses")} (a prefix left with no primary)`,
    `at the end: ${s.primariesAtEnd} of ${s.prefixes} prefixes have a primary, ${s.prefixes - s.primariesAtEnd} without one`,
    `time: setup ${t.setupMs} ms, play ${t.playMs} ms; per operation p50 ${t.p50Ms} ms, p95 ${t.p95Ms} ms, max ${t.maxMs} ms`,
    "",
  ].join("\n")
}
