/**
 * The port the Headscale import reads through: one call that turns a source
 * (a SQLite file path or a Postgres URL) into the era-neutral `HeadscaleDump`,
 * never writing to it. The adapter in `src/adapters/headscale` implements it.
 */
import { Context, Data, type Effect } from "effect"
import type { HeadscaleDump } from "../domain/legacyImport/HeadscaleDump.js"

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

/** True for a `postgres://` or `postgresql://` URL; anything else is a SQLite file path. @category predicates */
export const isPostgresUrl = (source: string): boolean => /^postgres(ql)?:\/\//i.test(source)

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

/** Reads a Headscale database of any era, read-only. @category services */
export class HeadscaleSource extends Context.Service<
  HeadscaleSource,
  { readonly read: (source: string) => Effect.Effect<HeadscaleDump, HeadscaleSourceError> }
>()("tailnet-routes/HeadscaleSource") {}
