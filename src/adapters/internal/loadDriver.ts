/**
 * Imports an adapter module that needs an optional database driver, when a
 * layer is built: the one place a driver is loaded, for the route stores and
 * the API-key stores alike. A missing driver is a `StorageError` with
 * `missingDriver` set (the CLI reports it as `DRIVER_MISSING`).
 */
import { Effect } from "effect"
import { StorageError } from "../../ports/RouteRepository.js"

export const loadDriver = <M>(driver: string, f: () => Promise<M>): Effect.Effect<M, StorageError> =>
  Effect.tryPromise({
    try: f,
    catch: (cause) =>
      // The drivers are optional peer dependencies of the package.
      (cause as { code?: string } | null)?.code === "ERR_MODULE_NOT_FOUND"
        ? new StorageError({
            message: `this store needs the ${driver} package; install it next to tailnet-routes`,
            cause,
            missingDriver: driver,
          })
        : new StorageError({ message: `could not load the ${driver} adapter`, cause }),
  })
