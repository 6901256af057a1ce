/** `GET /v1/ha`: the dashboard's view of every HA group, the exit nodes and recent failovers (same keys as the rest). */
import { HttpApiEndpoint, HttpApiGroup } from "effect/http-api"
import { Authorization } from "../Authorization.js"
import { commandProblems } from "../problem.js"
import { HaView } from "./haView.js"

/** @category models */
export class DashboardGroup extends HttpApiGroup.make("dashboard")
  .add(HttpApiEndpoint.get("ha", "/v1/ha", { success: HaView, error: commandProblems }))
  .middleware(Authorization) {}
