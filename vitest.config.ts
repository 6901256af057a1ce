import { defineConfig } from "vitest/config"

// vitest 5 targets Node 22; on Node 20 its reporter needs these three
// builtins, or any failing test crashes the run before printing why.
const g = globalThis as any
if (typeof g.Map.groupBy !== "function") {
  g.Map.groupBy = (items: Iterable<unknown>, key: (v: unknown, i: number) => unknown) => {
    const groups = new Map<unknown, unknown[]>()
    let i = 0
    for (const item of items) {
      const k = key(item, i++)
      const group = groups.get(k)
      if (group) group.push(item)
      else groups.set(k, [item])
    }
    return groups
  }
}
if (typeof g.Object.groupBy !== "function") {
  g.Object.groupBy = (items: Iterable<unknown>, key: (v: unknown, i: number) => unknown) =>
    Object.fromEntries(g.Map.groupBy(items, key))
}
if (typeof g.Promise.withResolvers !== "function") {
  g.Promise.withResolvers = () => {
    let resolve: unknown
    let reject: unknown
    const promise = new Promise((a, b) => {
      resolve = a
      reject = b
    })
    return { promise, resolve, reject }
  }
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/postgresGlobalSetup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
