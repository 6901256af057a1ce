// The README's usage snippets, run as written (memory store instead of a file),
// so the first code a user copies cannot drift from the API.
import { readFileSync } from "node:fs"
import path from "node:path"
import { Effect, Layer, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { MemoryRepository, RouteManager } from "../../src/effect.js"
import { createManualClock, createRouteManager } from "../../src/index.js"

describe("README", () => {
  it("Promise API snippet: advertise elects the only router and reports who needs a netmap", async () => {
    const clock = createManualClock(1_000)
    const routes = await createRouteManager({
      store: "memory",
      clock,
      options: { gracePeriodMs: 15_000 },
      policy: {
        autoApprovers: { routes: { "10.0.0.0/8": ["group:ops"] } },
        groups: { "group:ops": ["alice@"] },
      },
    })
    const pushed: string[][] = []
    const stop = routes.subscribe((c) => pushed.push([...c.affectedNodes]))
    await routes.upsertNode({ id: "r1", user: "alice@" })
    await routes.connect("r1")
    const change = await routes.advertise("r1", ["10.0.0.0/24", "0.0.0.0/0", "::/0"])
    expect(change.primaries).toEqual([{ prefix: "10.0.0.0/24", before: null, after: 2 }])
    expect(change.affectedNodes).toEqual(["r1"])
    expect(change.reroutedPrefixes).toEqual(["10.0.0.0/24"])
    expect((await routes.servedRoutes("r1")).map((r) => r.prefix)).toEqual(["10.0.0.0/24"])
    expect(pushed.at(-1)).toEqual(["r1"])
    stop()
    await routes.close()
  })

  it("Effect API snippet: the change stream sees the advertisement", async () => {
    const seen: string[] = []
    const live = RouteManager.layer({ gracePeriodMs: 15_000 }).pipe(Layer.provide(MemoryRepository.layer))
    const program = Effect.gen(function* () {
      const routes = yield* RouteManager
      const subscription = yield* routes.subscribe
      yield* routes.upsertNode({ id: "r1", user: "alice@" })
      yield* routes.connect("r1")
      const change = yield* routes.advertise("r1", ["10.0.0.0/24"])
      const events = yield* Stream.fromSubscription(subscription).pipe(Stream.take(3), Stream.runCollect)
      for (const c of events) seen.push(c.affectedPrefixes.join(","))
      return change
    })
    const change = await Effect.runPromise(program.pipe(Effect.scoped, Effect.provide(live)))
    expect(change.routes.map((c) => [c.before, c.after.prefix.text, c.after.enabled])).toEqual([
      [null, "10.0.0.0/24", false],
    ])
    expect(seen).toEqual(["", "", "10.0.0.0/24"])
  })

  it("Effect API snippet as written: a forked consumer of the subscription misses no change", async () => {
    const seen: string[] = []
    const pushNetmaps = (c: { readonly affectedPrefixes: ReadonlyArray<string> }) =>
      Effect.sync(() => seen.push(c.affectedPrefixes.join(",")))
    const live = RouteManager.layer({ gracePeriodMs: 15_000 }).pipe(Layer.provide(MemoryRepository.layer))
    const program = Effect.gen(function* () {
      const routes = yield* RouteManager
      const subscription = yield* routes.subscribe
      yield* Stream.fromSubscription(subscription).pipe(Stream.runForEach(pushNetmaps), Effect.forkScoped)
      yield* routes.upsertNode({ id: "r1", user: "alice@" })
      yield* routes.connect("r1")
      yield* routes.advertise("r1", ["10.0.0.0/24"])
      // Let the consumer fiber drain what was published.
      for (let i = 0; i < 100 && seen.length < 3; i++) yield* Effect.yieldNow
    })
    await Effect.runPromise(program.pipe(Effect.scoped, Effect.provide(live)))
    expect(seen).toEqual(["", "", "10.0.0.0/24"])
  })

  it("names every method of the Promise facade", async () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8")
    const list = readme.slice(readme.indexOf("- Every method:"), readme.indexOf("- Restart:"))
    const routes = await createRouteManager({ store: "memory", clock: createManualClock(0) })
    const methods = Object.keys(routes).sort()
    await routes.close()
    expect(methods.length).toBeGreaterThan(20)
    expect(methods.filter((name) => !list.includes(`\`${name}(`))).toEqual([])
  })
})
