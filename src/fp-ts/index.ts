/**
 * `tailnet-routes/fp-ts`: the library for codebases built on fp-ts and
 * io-ts. io-ts codecs for the public inputs and records, and `Either`
 * twins of the pure functions. fp-ts and io-ts are optional peer
 * dependencies: only this entry loads them.
 */
export {
  AdvertisementC,
  NodeC,
  NodeInputC,
  PolicyC,
  PrefixC,
  PresenceC,
  RouteC,
} from "./codecs.js"
export { fromResult, liftResult } from "./fromResult.js"
export * from "./wrappers.js"
