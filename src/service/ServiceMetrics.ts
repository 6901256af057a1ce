/**
 * The service's Prometheus metrics (`tailnet_routes_*`): gauges read from
 * the manager's state at scrape time (routes by state, primaries, routers in
 * their grace window, change-log lag), counters kept from the commits the
 * manager publishes (failovers, flaps; each failover is also a log line),
 * and the command latency histogram the request middleware feeds.
 */
import { Clock, Context, Effect, Layer, Stream } from "effect"
import { RouteManager } from "../app/RouteManager.js"
import type { Commit } from "../domain/Commit.js"
import { isNodeOnline } from "../domain/eligibility.js"
import { RouteRepository } from "../ports/RouteRepository.js"
import { logLine, ServiceSettings } from "./ServiceSettings.js"

const bucketsSeconds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
/** A primary moving back to the route it left within this window is a flap. */
const flapWindowMs = 60_000

/** @category services */
export class ServiceMetrics extends Context.Service<
  ServiceMetrics,
  {
    /** Records one command's latency, in ms. */
    readonly observeCommand: (ms: number) => void
    /** The exposition text. */
    readonly render: Effect.Effect<string>
  }
>()("tailnet-routes/service/ServiceMetrics") {
  /** Counts from the manager's commits as long as the layer lives. @category layers */
  static layer(): Layer.Layer<ServiceMetrics, never, RouteManager | RouteRepository | ServiceSettings> {
    return Layer.effect(
      ServiceMetrics,
      Effect.gen(function* () {
        const manager = yield* RouteManager
        const repo = yield* RouteRepository
        const settings = yield* ServiceSettings
        const buckets = new Array<number>(bucketsSeconds.length).fill(0)
        let count = 0
        let sum = 0
        let failovers = 0
        let flaps = 0
        // prefix → the route the primary last moved away from, and when.
        const lastMove = new Map<string, { readonly from: number; readonly at: number }>()

        const onCommit = (c: Commit): void => {
          for (const m of c.primaries) {
            if (m.before === null || m.after === null) continue
            failovers++
            const previous = lastMove.get(m.prefix)
            if (
              previous !== undefined &&
              previous.from === m.after &&
              c.committedAt - previous.at < flapWindowMs
            ) {
              flaps++
            }
            lastMove.set(m.prefix, { from: m.before, at: c.committedAt })
            logLine(settings, "failover", {
              prefix: m.prefix,
              from: m.before,
              to: m.after,
              version: c.version,
              origin: c.origin,
            })
          }
        }
        yield* Effect.forkScoped(Stream.runForEach(manager.changes, (c) => Effect.sync(() => onCommit(c))))

        const render = Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          const state = yield* manager.snapshot
          const states = { primary: 0, enabled: 0, advertised: 0, withdrawn: 0 }
          for (const r of state.routes) {
            if (r.deletedAt !== null) continue
            if (r.isPrimary) states.primary++
            else if (r.enabled) states.enabled++
            else if (r.advertised) states.advertised++
            else states.withdrawn++
          }
          let inGrace = 0
          for (const n of state.nodes) {
            // Offline by its sessions, still online for the election: the manager's own grace.
            if (n.deletedAt === null && n.presence.sessions === 0 && isNodeOnline(n, now, manager.options)) {
              inGrace++
            }
          }
          const version = yield* manager.version
          const head = yield* Effect.orElseSucceed(repo.head, () => version)
          const lines = [
            "# HELP tailnet_routes_routes Live routes by state (primary, enabled standby, advertised unapproved, withdrawn).",
            "# TYPE tailnet_routes_routes gauge",
            ...Object.entries(states).map(([s, v]) => `tailnet_routes_routes{state="${s}"} ${v}`),
            "# HELP tailnet_routes_primaries Prefixes with a primary route.",
            "# TYPE tailnet_routes_primaries gauge",
            `tailnet_routes_primaries ${states.primary}`,
            "# HELP tailnet_routes_failovers_total Primaries moved from one route to another.",
            "# TYPE tailnet_routes_failovers_total counter",
            `tailnet_routes_failovers_total ${failovers}`,
            "# HELP tailnet_routes_flaps_total Primaries that moved back to the route they left within 60 s.",
            "# TYPE tailnet_routes_flaps_total counter",
            `tailnet_routes_flaps_total ${flaps}`,
            "# HELP tailnet_routes_grace_timers_pending Disconnected nodes whose grace window is still running.",
            "# TYPE tailnet_routes_grace_timers_pending gauge",
            `tailnet_routes_grace_timers_pending ${inGrace}`,
            "# HELP tailnet_routes_change_log_lag Change sets in the store this manager has not folded in yet.",
            "# TYPE tailnet_routes_change_log_lag gauge",
            `tailnet_routes_change_log_lag ${Math.max(0, head - version)}`,
            "# HELP tailnet_routes_tailnet_version The tailnet version this manager stands at.",
            "# TYPE tailnet_routes_tailnet_version gauge",
            `tailnet_routes_tailnet_version ${version}`,
            "# HELP tailnet_routes_command_duration_seconds Latency of write commands over HTTP.",
            "# TYPE tailnet_routes_command_duration_seconds histogram",
            ...bucketsSeconds.map(
              (b, i) => `tailnet_routes_command_duration_seconds_bucket{le="${b}"} ${buckets[i]}`,
            ),
            `tailnet_routes_command_duration_seconds_bucket{le="+Inf"} ${count}`,
            `tailnet_routes_command_duration_seconds_sum ${sum}`,
            `tailnet_routes_command_duration_seconds_count ${count}`,
          ]
          return `${lines.join("\n")}\n`
        })

        return {
          observeCommand: (ms) => {
            const s = ms / 1000
            count++
            sum += s
            for (let i = 0; i < bucketsSeconds.length; i++) if (s <= bucketsSeconds[i]!) buckets[i]!++
          },
          render,
        }
      }),
    )
  }
}
