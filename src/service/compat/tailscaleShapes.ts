/**
 * Tailscale's API v2 device-routes shapes (`GET`/`POST
 * /api/v2/device/{id}/routes`) and the pure mapping of a node's rows onto
 * them: what it advertises and what is enabled, as canonical prefix text in
 * prefix order, exit routes included as the pair.
 */
import { Schema } from "effect"
import { compare } from "../../domain/Prefix.js"
import type { Route } from "../../domain/Route.js"

/** The response of both calls. @category models */
export const TailscaleDeviceRoutes = Schema.Struct({
  advertisedRoutes: Schema.Array(Schema.String),
  enabledRoutes: Schema.Array(Schema.String),
}).annotate({ identifier: "TailscaleDeviceRoutes" })

/** @category models */
export type TailscaleDeviceRoutes = typeof TailscaleDeviceRoutes.Type

/** The body of `POST`: the new enabled set. @category models */
export const TailscaleSetRoutes = Schema.Struct({ routes: Schema.Array(Schema.String) }).annotate({
  identifier: "TailscaleSetRoutes",
})

const prefixesOf = (routes: ReadonlyArray<Route>, keep: (r: Route) => boolean): string[] =>
  routes
    .filter((r) => r.deletedAt === null && keep(r))
    .sort((a, b) => compare(a.prefix, b.prefix))
    .map((r) => r.prefix.text)

/** The device's routes from its live rows. @category constructors */
export const toTailscaleDeviceRoutes = (routes: ReadonlyArray<Route>): TailscaleDeviceRoutes => ({
  advertisedRoutes: prefixesOf(routes, (r) => r.advertised),
  enabledRoutes: prefixesOf(routes, (r) => r.enabled),
})

/** The error body: Tailscale's `{ message }`, plus the JSON dialect's stable `code`. @category models */
export const TailscaleErrorFields = { message: Schema.String, code: Schema.String }
