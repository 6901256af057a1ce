/** The memory adapter passes the repository contract. */
import { Effect, Layer } from "effect"
import * as Memory from "../../src/adapters/memory/MemoryRouteRepository.js"
import { RouteRepository } from "../../src/ports/RouteRepository.js"
import { repositoryContract } from "./repositoryContract.js"

// Memory has nothing to close: "reopening" hands back the same instance, as an embedder would.
repositoryContract("memory", async () => {
  const service = await Effect.runPromise(Memory.make())
  return { open: () => Layer.succeed(RouteRepository, service), dispose: async () => {} }
})
