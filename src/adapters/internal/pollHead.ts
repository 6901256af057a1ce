/** The polling half of `watch`: the head every `everyMs`, emitted when it moved; a failed read is skipped (the next poll tries again). */
import { Duration, Effect, Stream } from "effect"
import type { RepositoryError } from "../../ports/RouteRepository.js"

export const pollHead = (
  head: Effect.Effect<number, RepositoryError>,
  everyMs: number,
): Stream.Stream<number> =>
  Stream.tick(Duration.millis(everyMs)).pipe(
    Stream.mapEffect(() => Effect.catch(head, () => Effect.succeed(-1))),
    Stream.filter((v) => v >= 0),
    Stream.changes,
  )
