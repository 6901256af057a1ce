/** The three stores the facade scenarios run over; each `fresh()` is an empty store. */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { StoreConfig } from "../../src/facade/createRouteManager.js"
import { freshDatabaseUrl } from "../support/postgres.js"

export interface TestStore {
  readonly name: string
  /** A new, empty store. */
  readonly fresh: () => Promise<StoreConfig>
  /** Whether reopening the same config finds the data again (memory lives and dies with its manager). */
  readonly durable: boolean
}

const dirs: string[] = []

/** Removes the SQLite temp directories made by this file's tests. */
export const cleanUp = (): void => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
}

export const stores: ReadonlyArray<TestStore> = [
  { name: "memory", fresh: async () => "memory", durable: false },
  {
    name: "sqlite",
    fresh: async () => {
      const dir = mkdtempSync(join(tmpdir(), "tailnet-routes-"))
      dirs.push(dir)
      return { sqlite: join(dir, "routes.db") }
    },
    durable: true,
  },
  { name: "postgres", fresh: async () => ({ postgres: await freshDatabaseUrl() }), durable: true },
]
