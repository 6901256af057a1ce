/** Operations endpoints, served without a key: liveness, readiness, Prometheus metrics. */
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema } from "effect/http-api"
import { Unavailable } from "../problem.js"

const Health = Schema.Struct({ status: Schema.Literal("ok") })
const Ready = Schema.Struct({ status: Schema.Literal("ready"), version: Schema.Int, head: Schema.Int })

/** @category models */
export class OpsGroup extends HttpApiGroup.make("ops", { topLevel: true }).add(
  HttpApiEndpoint.get("healthz", "/healthz", { success: Health }),
  HttpApiEndpoint.get("readyz", "/readyz", { success: Ready, error: Unavailable }),
  HttpApiEndpoint.get("metrics", "/metrics", {
    success: Schema.String.pipe(HttpApiSchema.asText({ contentType: "text/plain; version=0.0.4" })),
  }),
) {}
