/** Read a SQLite fixture and plan its import against a target state. */
import { Effect } from "effect"
import { readHeadscaleSqlite } from "../../../src/adapters/headscale/readHeadscaleSqlite.js"
import type { HeadscaleDump } from "../../../src/domain/legacyImport/HeadscaleDump.js"
import { type ImportPlan, planImport } from "../../../src/domain/legacyImport/planImport.js"
import { defaultOptions, type Options } from "../../../src/domain/Options.js"
import type { Policy } from "../../../src/domain/Policy.js"
import { RouteIndex, type RouteState } from "../../../src/domain/RouteIndex.js"
import { NOW } from "./rows.js"

export const emptyState = (policy: Policy = {}): RouteState => ({
  nodes: [],
  routes: [],
  policy,
  nextRouteId: 1,
})

export const readSqlite = (path: string): Promise<HeadscaleDump> =>
  Effect.runPromise(readHeadscaleSqlite(path))

/** Plans against `state` (empty by default) at NOW. */
export const plan = (
  dump: HeadscaleDump,
  state: RouteState = emptyState(),
  options: Options = defaultOptions,
  now = NOW,
): ImportPlan => planImport(dump, RouteIndex.from(state), now, options)

/** The state after applying a plan to `state`. */
export const applied = (state: RouteState, p: ImportPlan): RouteState => {
  const index = RouteIndex.from(state)
  index.apply(p.changes)
  return index.snapshot()
}

/** A report with nothing in it but its era and counts, to spread overrides into. */
export const quietReport = {
  nodes: { alreadyPresent: [], skippedDeleted: [], unknownUser: [] },
  routes: { alreadyPresent: [], skippedDeleted: [] },
  duplicates: [],
  orphans: [],
  invalidPrefixes: [],
  maskedPrefixes: [],
  malformed: [],
  approvals: { byPolicy: [], droppedNotAdvertised: [] },
  exitPairs: { completed: [], leftHalf: [] },
  primaries: { kept: [], dropped: [], elected: [] },
  upToDate: false,
} as const
