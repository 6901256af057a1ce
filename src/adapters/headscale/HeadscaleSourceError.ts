/** Why a Headscale database could not be read. */
import { Data } from "effect"

/** Which step failed: the source is absent, unreadable, not a known Headscale schema, or a query broke. @category models */
export type HeadscaleSourceErrorReason = "Missing" | "Unreadable" | "UnknownSchema" | "QueryFailed"

/** A Headscale source that could not be imported; `source` is the path or the URL with its password hidden. @category errors */
export class HeadscaleSourceError extends Data.TaggedError("HeadscaleSourceError")<{
  readonly source: string
  readonly reason: HeadscaleSourceErrorReason
  readonly message: string
}> {}

/** @category guards */
export const isHeadscaleSourceError = (u: unknown): u is HeadscaleSourceError =>
  u instanceof HeadscaleSourceError

/** A Postgres URL fit for messages and reports: the password (if any) replaced by `***`. @category getters */
export const redactUrl = (url: string): string => {
  try {
    const u = new URL(url)
    if (u.password !== "") u.password = "***"
    return u.toString()
  } catch {
    // Not a URL we can parse: show only the scheme so no secret leaks.
    return url.replace(/\/\/.*$/s, "//***")
  }
}
