/**
 * `GET /v1/changes` as Server-Sent Events. The subscription opens before the
 * manager's version is read, so nothing falls between the backlog (read from
 * the change log above `Last-Event-ID`) and the live commits; a live commit
 * at or below the last version sent is skipped. A client whose resume point
 * the log no longer holds gets a `reload` event and continues live. Streams
 * end when the service drains.
 */
import { Deferred, Effect, Stream } from "effect"
import { HttpServerResponse } from "effect/http"
import { HttpApiBuilder } from "effect/http-api"
import { RouteManager } from "../../app/RouteManager.js"
import type { Commit } from "../../domain/Commit.js"
import { changeToJson } from "../../facade/toJson.js"
import { type RepositoryError, RouteRepository } from "../../ports/RouteRepository.js"
import { problem } from "../problem.js"
import { ServiceApi } from "../ServiceApi.js"
import { ServiceSettings } from "../ServiceSettings.js"

const pageSize = 1_000
const encoder = new TextEncoder()

const changeEvent = (c: Commit): string =>
  `id: ${c.version}\nevent: change\ndata: ${JSON.stringify(changeToJson(c))}\n\n`

// Every subscriber receives the same Commit object: its event is encoded once, not once per client
// (1,000 streams meant 1,000 JSON.stringify calls of each commit).
const encoded = new WeakMap<Commit, Uint8Array>()
const liveEvent = (c: Commit): Uint8Array => {
  let bytes = encoded.get(c)
  if (bytes === undefined) {
    bytes = encoder.encode(changeEvent(c))
    encoded.set(c, bytes)
  }
  return bytes
}

const reloadEvent = (version: number, reason: string): string =>
  `id: ${version}\nevent: reload\ndata: ${JSON.stringify({ version, reason })}\n\n`

/** The log above `after` up to `upTo` as events, or a reload event when part of it is gone. */
const backlog = (
  repo: RouteRepository["Service"],
  after: number,
  upTo: number,
): Effect.Effect<ReadonlyArray<string>, RepositoryError> =>
  Effect.gen(function* () {
    const out: string[] = []
    let at = after
    while (at < upTo) {
      const page = yield* repo.readLog(at, Math.min(pageSize, upTo - at))
      if (page.gap || page.entries.length === 0)
        return [reloadEvent(upTo, "the change log no longer holds this point")]
      for (const e of page.entries) {
        if (e.version > upTo) break
        if (e.changes === null) return [reloadEvent(upTo, `change set ${e.version} was too large to log`)]
        out.push(
          changeEvent({
            ...e.changes,
            version: e.version,
            origin: e.origin,
            committedAt: e.committedAt,
            reloadedFrom: null,
          }),
        )
        at = e.version
      }
    }
    return out
  })

/** A resume point: a non-negative integer version. */
const resumePoint = (text: string | undefined): number | undefined | "bad" => {
  if (text === undefined || text === "") return undefined
  return /^(0|[1-9][0-9]{0,15})$/.test(text) ? Number(text) : "bad"
}

/** @category layers */
export const ChangesHandlers = HttpApiBuilder.group(ServiceApi, "changes", (handlers) =>
  Effect.gen(function* () {
    const manager = yield* RouteManager
    const repo = yield* RouteRepository
    const settings = yield* ServiceSettings
    return handlers.handleRaw("stream", ({ headers, query }) =>
      Effect.gen(function* () {
        const given = headers["last-event-id"] ?? query.after
        const start = resumePoint(given)
        if (start === "bad") {
          return yield* Effect.fail(
            problem(400, "INVALID_INPUT", `Last-Event-ID ${JSON.stringify(given)} is not a tailnet version`, {
              field: "Last-Event-ID",
              value: given,
            }),
          )
        }
        const events = Stream.unwrap(
          Effect.gen(function* () {
            const subscription = yield* manager.subscribe
            const version = yield* manager.version
            const head = yield* Effect.orElseSucceed(repo.head, () => version)
            let first: ReadonlyArray<string>
            if (start === undefined || start === version) first = []
            else if (start > head) first = [reloadEvent(version, "Last-Event-ID is ahead of this store")]
            else if (start > version) first = []
            else
              first = yield* Effect.orElseSucceed(backlog(repo, start, version), () => [
                reloadEvent(version, "the change log could not be read"),
              ])
            let last = start === undefined || start > head ? version : Math.max(start, version)
            // A client that reads slower than the tailnet changes is let go once it is
            // `maxStreamLag` versions behind (its queue would grow without bound); it
            // reconnects with Last-Event-ID and resumes from the change log.
            const live = Stream.fromSubscription(subscription).pipe(
              Stream.filter((c) => c.version > last),
              Stream.mapEffect((c) =>
                Effect.map(manager.version, (now) => (now - c.version > settings.maxStreamLag ? null : c)),
              ),
              Stream.takeWhile((c): c is Commit => c !== null),
              Stream.map((c): string | Uint8Array => {
                last = c.version
                return liveEvent(c)
              }),
              Stream.concat(Stream.succeed(": too far behind; reconnect with Last-Event-ID\n\n")),
            )
            const heartbeat = Stream.map(Stream.tick(settings.heartbeatMs), () => ": heartbeat\n\n")
            return Stream.concat(
              Stream.fromIterable([`retry: 2000\n: connected at version ${version}\n\n`, ...first]),
              Stream.merge(live, Stream.drop(heartbeat, 1), { haltStrategy: "left" }),
            )
          }),
        ).pipe(
          Stream.interruptWhen(Deferred.await(settings.draining)),
          Stream.map((s) => (typeof s === "string" ? encoder.encode(s) : s)),
        )
        return HttpServerResponse.stream(events, {
          contentType: "text/event-stream",
          headers: { "cache-control": "no-cache", "x-accel-buffering": "no" },
        })
      }),
    )
  }),
)
