/** The filter of `RouteManager.listRoutes`: which live routes to list. */
import { Result } from "effect"
import { type InvalidPrefixInput, parsePrefixInput } from "../domain/errors.js"
import type { NodeId } from "../domain/Node.js"
import { isExitRoute } from "../domain/Prefix.js"
import type { Route } from "../domain/Route.js"
import type { RouteView } from "../domain/RouteView.js"

/** Every field is optional; a route is listed when it matches all the given ones. @category models */
export interface RouteFilter {
  readonly nodeId?: NodeId
  /** Exact prefix (strict text; compared canonically). */
  readonly prefix?: string
  readonly primary?: boolean
  readonly enabled?: boolean
  readonly advertised?: boolean
  readonly healthy?: boolean
  /** True: only exit routes (`0.0.0.0/0`, `::/0`); false: only subnet routes. */
  readonly exit?: boolean
}

const matches = (r: Route, f: RouteFilter): boolean =>
  (f.primary === undefined || r.isPrimary === f.primary) &&
  (f.enabled === undefined || r.enabled === f.enabled) &&
  (f.advertised === undefined || r.advertised === f.advertised) &&
  (f.healthy === undefined || r.healthy === f.healthy) &&
  (f.exit === undefined || isExitRoute(r.prefix) === f.exit)

/**
 * Live routes matching the filter, ordered by id. Reads only the node's or the
 * prefix's rows when the filter names one; an unparsable prefix is an error.
 *
 * @category getters
 */
export const filterRoutes = (
  view: RouteView,
  filter: RouteFilter = {},
): Result.Result<ReadonlyArray<Route>, InvalidPrefixInput> => {
  let text: string | undefined
  if (filter.prefix !== undefined) {
    const parsed = parsePrefixInput(filter.prefix)
    if (Result.isFailure(parsed)) return Result.fail(parsed.failure)
    text = parsed.success.text
  }
  const source: Iterable<Route> =
    text !== undefined
      ? view.routesOfPrefix(text)
      : filter.nodeId !== undefined
        ? view.routesOfNode(filter.nodeId)
        : view.allRoutes()
  const out: Route[] = []
  for (const r of source) {
    if (r.deletedAt !== null) continue
    if (filter.nodeId !== undefined && r.nodeId !== filter.nodeId) continue
    if (matches(r, filter)) out.push(r)
  }
  return Result.succeed(out.sort((a, b) => a.id - b.id))
}
