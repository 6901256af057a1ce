/**
 * tailnet-routes: subnet route management for Tailscale-compatible
 * coordination servers. The root entry is the pure domain; it never loads a
 * database driver.
 */
export * from "./domain/ChangeSet.js"
export * from "./domain/Node.js"
export * from "./domain/Options.js"
export * from "./domain/Policy.js"
export * from "./domain/Prefix.js"
export * from "./domain/Route.js"
export type * from "./domain/RouteView.js"
