/**
 * Tailscale API v2 error bodies (`{ message }`, with our stable `code`
 * beside it), one class per HTTP status so the HttpApi encoder picks the
 * status from the value.
 */
import { Schema } from "effect"
import type { CompatFailure } from "./grpcStatus.js"
import { TailscaleErrorFields } from "./tailscaleShapes.js"

/** 400: bad input, or a route the device does not advertise. @category errors */
export class TailscaleBadRequest extends Schema.Error<TailscaleBadRequest>("TailscaleBadRequest")(
  TailscaleErrorFields,
  { httpApiStatus: 400 },
) {}

/** 404: no such device. @category errors */
export class TailscaleNotFound extends Schema.Error<TailscaleNotFound>("TailscaleNotFound")(
  TailscaleErrorFields,
  { httpApiStatus: 404 },
) {}

/** 409: a write conflict that retries did not resolve. @category errors */
export class TailscaleConflict extends Schema.Error<TailscaleConflict>("TailscaleConflict")(
  TailscaleErrorFields,
  { httpApiStatus: 409 },
) {}

/** 500. @category errors */
export class TailscaleInternal extends Schema.Error<TailscaleInternal>("TailscaleInternal")(
  TailscaleErrorFields,
  { httpApiStatus: 500 },
) {}

/** 503: the store or the manager is unavailable. @category errors */
export class TailscaleUnavailable extends Schema.Error<TailscaleUnavailable>("TailscaleUnavailable")(
  TailscaleErrorFields,
  { httpApiStatus: 503 },
) {}

/** Every error a Tailscale endpoint answers with. @category models */
export const tailscaleErrors = [
  TailscaleBadRequest,
  TailscaleNotFound,
  TailscaleConflict,
  TailscaleInternal,
  TailscaleUnavailable,
] as const

/** @category models */
export type TailscaleError = InstanceType<(typeof tailscaleErrors)[number]>

/** The body for a failure, of the class its status calls for. @category constructors */
export const toTailscaleError = (f: CompatFailure): TailscaleError => {
  const body = { message: f.message, code: f.code }
  switch (f.status) {
    case 404:
      return new TailscaleNotFound(body)
    case 409:
      return new TailscaleConflict(body)
    case 503:
      return new TailscaleUnavailable(body)
    case 500:
      return new TailscaleInternal(body)
    default:
      return new TailscaleBadRequest(body)
  }
}
