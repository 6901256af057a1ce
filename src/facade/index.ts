/** The Promise facade, for `src/index.ts` to re-export: `createRouteManager`, `createManualClock`, the errors, and the JSON records with their Schemas. */
export {
  type ChangeListener,
  type CreateRouteManagerOptions,
  createRouteManager,
  type ListenerErrorHandler,
  type PolicyPreviewJson,
  type StoreConfig,
  type TailnetRouteManager,
} from "./createRouteManager.js"
export * from "./errors.js"
export {
  CandidateJsonSchema,
  ChangeJsonSchema,
  ErrorJsonSchema,
  ExplanationJsonSchema,
  NodeJsonSchema,
  NodeSummaryJsonSchema,
  OverlapsJsonSchema,
  PolicyJsonSchema,
  ReconcileJsonSchema,
  RouteJsonSchema,
} from "./jsonSchemas.js"
export { createManualClock, isManualClock, type ManualClock } from "./manualClock.js"
export type {
  CandidateJson,
  ChangeJson,
  ErrorJson,
  ExplanationJson,
  NodeJson,
  NodeSummaryJson,
  OverlapsJson,
  ReasonCode,
  ReconcileJson,
  RouteJson,
} from "./toJson.js"
