/**
 * `serve --listen HOST:PORT`: a RouteManager over the store behind the HTTP
 * service, until SIGTERM or SIGINT. Stopping ends the change streams, stops
 * accepting connections, lets requests in flight finish (up to --drain-ms),
 * then closes the manager and the store. Every log line is JSON on stdout;
 * the first says where it listens.
 */
import { Deferred, Effect, Layer, ManagedRuntime } from "effect"
import { HttpServer } from "effect/http"
import { RouteManager } from "../../app/RouteManager.js"
import * as ServiceLayer from "../../service/ServiceLayer.js"
import { integerArg, stringOption } from "../args.js"
import { UsageError } from "../CliError.js"
import type { CommandRun } from "../CommandContext.js"
import { routeStoreLayer, storeFailure } from "../session.js"
import { describeStore, resolveStoreSpec } from "../storeSpec.js"
import { apiKeyStoreLayer } from "./serveStores.js"

/** `HOST:PORT`, `[V6]:PORT` or `:PORT` (loopback); a usage error otherwise. @category constructors */
export const parseListen = (
  text: string,
  command: string,
): { readonly host: string; readonly port: number } => {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):([0-9]{1,5})$/.exec(text)
  if (m === null) throw new UsageError(`--listen '${text}' is not HOST:PORT (e.g. 127.0.0.1:8080)`, command)
  const port = integerArg(m[3]!, "--listen port", 0, 65_535, command)
  const host = m[1] ?? (m[2] === "" ? "127.0.0.1" : m[2]!)
  return { host, port }
}

const optionalInt = (text: string | undefined, what: string, min: number, max: number, command: string) =>
  text === undefined ? undefined : integerArg(text, what, min, max, command)

const stopSignal = (): Promise<string> =>
  new Promise((resolve) => {
    const on = (signal: string) => () => {
      process.off("SIGTERM", term)
      process.off("SIGINT", int)
      resolve(signal)
    }
    const term = on("SIGTERM")
    const int = on("SIGINT")
    process.once("SIGTERM", term)
    process.once("SIGINT", int)
  })

/** `serve`. @category constructors */
export const serve: CommandRun = async (ctx) => {
  const name = ctx.command.name
  const { host, port } = parseListen(stringOption(ctx.options, "listen") ?? "127.0.0.1:8080", name)
  const limits = {
    maxBodyBytes: optionalInt(
      stringOption(ctx.options, "max-body-bytes"),
      "--max-body-bytes",
      1,
      2 ** 30,
      name,
    ),
    requestTimeoutMs: optionalInt(
      stringOption(ctx.options, "request-timeout-ms"),
      "--request-timeout-ms",
      1,
      3_600_000,
      name,
    ),
    heartbeatMs: optionalInt(
      stringOption(ctx.options, "heartbeat-ms"),
      "--heartbeat-ms",
      10,
      3_600_000,
      name,
    ),
    drainMs: optionalInt(stringOption(ctx.options, "drain-ms"), "--drain-ms", 0, 3_600_000, name),
  }
  const replicaId = stringOption(ctx.options, "replica-id")
  const spec = resolveStoreSpec(stringOption(ctx.options, "db"), ctx.io.env)
  const label = describeStore(spec)
  const log = (line: string) => void ctx.io.stdout.write(`${line}\n`)
  const logChunk = (chunk: string) => void ctx.io.stdout.write(chunk)
  const draining = Effect.runSync(Deferred.make<void>())
  const service = ServiceLayer.layer({
    host,
    port,
    log: logChunk,
    draining,
    ...Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)),
  })
  const live = service.pipe(
    Layer.provideMerge(
      RouteManager.layer(ctx.routeOptions, replicaId === undefined ? {} : { replicaId }).pipe(
        Layer.provideMerge(routeStoreLayer(spec)),
      ),
    ),
    Layer.provideMerge(apiKeyStoreLayer(spec)),
  )
  const stopping = stopSignal()
  const runtime = ManagedRuntime.make(live)
  let address: string
  try {
    const server = await runtime.runPromise(Effect.service(HttpServer.HttpServer))
    const a = server.address
    address = "port" in a ? `http://${host.includes(":") ? `[${host}]` : host}:${a.port}` : String(a)
  } catch (e) {
    await runtime.dispose()
    throw storeFailure(label, e)
  }
  const at = () => new Date().toISOString()
  log(JSON.stringify({ time: at(), level: "info", msg: "listening", address, store: label }))
  const signal = await stopping
  log(JSON.stringify({ time: at(), level: "info", msg: "stopping", signal }))
  await Effect.runPromise(Deferred.succeed(draining, undefined))
  await runtime.dispose()
  log(JSON.stringify({ time: at(), level: "info", msg: "stopped" }))
}
