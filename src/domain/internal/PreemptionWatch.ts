/**
 * The prefixes `tick` re-elects for preemption: those where a usable route
 * outranks the primary by priority. Kept up to date as each prefix group is
 * rewritten, so a tick reads the watched prefixes instead of every prefix.
 */
import { isExitRoute } from "../Prefix.js"
import type { Route } from "../Route.js"

/** Prefixes where a usable route outranks the primary by priority (candidates for preemption). */
export class PreemptionWatch {
  private readonly watched = new Set<string>()

  /** Re-reads one prefix's live rows (undefined: none left) and watches it or stops watching it. */
  readonly rewatch = (text: string, group: ReadonlyArray<Route> | undefined): void => {
    let primary: Route | undefined
    let top = Number.NEGATIVE_INFINITY
    // Exit routes are never elected, so never watched.
    if (group !== undefined && !isExitRoute(text)) {
      for (let i = 0; i < group.length; i++) {
        const r = group[i]!
        if (r.isPrimary) primary = r
        else if (r.advertised && r.enabled && r.healthy && r.priority > top) top = r.priority
      }
    }
    if (primary !== undefined && top > primary.priority) this.watched.add(text)
    else this.watched.delete(text)
  }

  prefixes(): Iterable<string> {
    return this.watched
  }
}
