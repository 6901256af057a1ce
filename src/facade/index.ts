/** The Promise facade, for `src/index.ts` to re-export: `createRouteManager`, `createManualClock`, the errors and JSON records. */
export {
  type ChangeListener,
  type CreateRouteManagerOptions,
  createRouteManager,
  type StoreConfig,
  type TailnetRouteManager,
} from "./createRouteManager.js"
export * from "./errors.js"
export { createManualClock, isManualClock, type ManualClock } from "./manualClock.js"
export type {
  CandidateJson,
  ChangeJson,
  ExplanationJson,
  NodeJson,
  OverlapsJson,
  ReconcileJson,
  RouteJson,
} from "./toJson.js"
