/** Starts the service on a free loopback port over a chosen store, with a key, for the HTTP tests. */
import { Deferred, Effect, Layer, ManagedRuntime } from "effect"
import { HttpServer } from "effect/http"
import * as MemoryApiKeyStore from "../../src/adapters/memory/MemoryApiKeyStore.js"
import { MemoryRepository } from "../../src/adapters/storeLayers.js"
import { RouteManager } from "../../src/app/RouteManager.js"
import type { Options } from "../../src/domain/Options.js"
import type { ApiKeyStore } from "../../src/ports/ApiKeyStore.js"
import type { RouteRepository } from "../../src/ports/RouteRepository.js"
import { createApiKey } from "../../src/service/apiKeys.js"
import * as ServiceLayer from "../../src/service/ServiceLayer.js"

/** A running service. */
export interface RunningService {
  readonly url: string
  readonly key: string
  readonly logs: string[]
  /** Calls the service with the key (unless `key: null`); JSON bodies are stringified. */
  readonly call: (
    method: string,
    path: string,
    init?: { body?: unknown; key?: string | null; headers?: Record<string, string> },
  ) => Promise<Response>
  readonly runtime: ManagedRuntime.ManagedRuntime<
    RouteManager | RouteRepository | ApiKeyStore | HttpServer.HttpServer,
    unknown
  >
  readonly stop: () => Promise<void>
}

export interface HarnessOptions {
  readonly manager?: Partial<Options>
  readonly service?: ServiceLayer.ServiceLayerOptions
  readonly store?: Layer.Layer<RouteRepository, unknown>
  readonly keys?: Layer.Layer<ApiKeyStore, unknown>
}

export const startService = async (options: HarnessOptions = {}): Promise<RunningService> => {
  const logs: string[] = []
  const draining = Effect.runSync(Deferred.make<void>())
  const layer = ServiceLayer.layer({
    port: 0,
    log: (chunk) => logs.push(...chunk.trimEnd().split("\n")),
    draining,
    ...options.service,
  }).pipe(
    Layer.provideMerge(RouteManager.layer(options.manager ?? {})),
    Layer.provideMerge(options.store ?? MemoryRepository.layer),
    Layer.provideMerge(options.keys ?? MemoryApiKeyStore.layer),
  )
  const runtime = ManagedRuntime.make(layer)
  const server = await runtime.runPromise(Effect.service(HttpServer.HttpServer))
  const address = server.address
  if (!("port" in address)) throw new Error("expected a TCP address")
  const url = `http://127.0.0.1:${address.port}`
  const { key } = await runtime.runPromise(createApiKey(Date.now(), null))
  const call: RunningService["call"] = (method, path, init = {}) => {
    const headers: Record<string, string> = { ...init.headers }
    const k = init.key === undefined ? key : init.key
    if (k !== null) headers.authorization = `Bearer ${k}`
    let body: string | undefined
    if (init.body !== undefined) {
      body = typeof init.body === "string" ? init.body : JSON.stringify(init.body)
      headers["content-type"] ??= "application/json"
    }
    return fetch(`${url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) })
  }
  return {
    url,
    key,
    logs,
    call,
    runtime,
    stop: async () => {
      await Effect.runPromise(Deferred.succeed(draining, undefined))
      await runtime.dispose()
    },
  }
}
