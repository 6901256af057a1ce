/** The exit pair of one node, as rows of a draft: `0.0.0.0/0` and `::/0` move together. */
import { exitV4, exitV6 } from "../Prefix.js"
import type { Route } from "../Route.js"

export const EXIT_V4 = exitV4.text
export const EXIT_V6 = exitV6.text

/** The node's live exit rows (either may be missing). */
export interface ExitRows {
  readonly v4: Route | undefined
  readonly v6: Route | undefined
}

/** Picks the exit rows out of a node's live rows. */
export const exitRows = (routes: ReadonlyArray<Route>): ExitRows => {
  let v4: Route | undefined
  let v6: Route | undefined
  for (let i = 0; i < routes.length; i++) {
    const r = routes[i]!
    if (r.prefix.text === EXIT_V4) v4 = r
    else if (r.prefix.text === EXIT_V6) v6 = r
  }
  return { v4, v6 }
}

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
