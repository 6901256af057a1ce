/** What the service runs with beside the manager and the stores: limits, heartbeat, the log sink, the drain signal. */
import { Context, Deferred, Effect, Layer } from "effect"
import type { ThrottleSettings } from "./failureThrottle.js"
import { lineWriter } from "./lineWriter.js"

/** @category models */
export interface ServiceOptions {
  /** Default 127.0.0.1: loopback unless asked otherwise. */
  readonly host?: string
  /** Default 8080; 0 picks a free port. */
  readonly port?: number
  /** Largest request body read, in bytes. Default 1 MiB. */
  readonly maxBodyBytes?: number
  /** A request (other than the change stream) answered within this or 503. Default 30 000 ms. */
  readonly requestTimeoutMs?: number
  /** How often an idle change stream gets a comment line. Default 15 000 ms. */
  readonly heartbeatMs?: number
  /** A change-stream client this many versions behind is disconnected (it resumes with Last-Event-ID). Default 10 000. */
  readonly maxStreamLag?: number
  /** Where the JSON log goes: chunks of whole lines, one object a line. Default: stdout. */
  readonly log?: (chunk: string) => void
  /** How bad keys are slowed per address. */
  readonly throttle?: ThrottleSettings
  /** How long a stop waits for requests in flight. Default 10 000 ms. */
  readonly drainMs?: number
  /**
   * Completing it ends every change stream. A caller that stops the service
   * completes it first (the server waits for open responses before the
   * layer's own finalizers run). Default: made by the layer.
   */
  readonly draining?: Deferred.Deferred<void>
}

/** The options with their defaults, and the signal that ends every change stream at shutdown. @category services */
export class ServiceSettings extends Context.Service<
  ServiceSettings,
  Required<Omit<ServiceOptions, "throttle" | "draining">> & {
    readonly throttle: ThrottleSettings | undefined
    /** Completed when the service stops: change streams end, so the server can drain. */
    readonly draining: Deferred.Deferred<void>
  }
>()("tailnet-routes/service/ServiceSettings") {
  /** @category layers */
  static layer(options: ServiceOptions = {}): Layer.Layer<ServiceSettings> {
    return Layer.effect(
      ServiceSettings,
      Effect.gen(function* () {
        const draining = options.draining ?? (yield* Deferred.make<void>())
        const writer = lineWriter(options.log ?? ((chunk: string) => void process.stdout.write(chunk)))
        // The last lines go out when the service stops.
        yield* Effect.addFinalizer(() => Effect.sync(writer.flush))
        yield* Effect.addFinalizer(() => Deferred.succeed(draining, undefined))
        return {
          host: options.host ?? "127.0.0.1",
          port: options.port ?? 8080,
          maxBodyBytes: options.maxBodyBytes ?? 1_048_576,
          requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
          heartbeatMs: options.heartbeatMs ?? 15_000,
          maxStreamLag: options.maxStreamLag ?? 10_000,
          log: writer.line,
          throttle: options.throttle,
          drainMs: options.drainMs ?? 10_000,
          draining,
        }
      }),
    )
  }
}

/** Writes one JSON log line: time, level, message, fields. @category constructors */
export const logLine = (
  settings: ServiceSettings["Service"],
  msg: string,
  fields: Readonly<Record<string, unknown>>,
): void => settings.log(JSON.stringify({ time: new Date().toISOString(), level: "info", msg, ...fields }))
