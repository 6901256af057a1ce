/** How the CLI names a store's failure: each port error becomes its stable code. */
import { describe, expect, it } from "vitest"
import { storeFailure } from "../../src/cli/session.js"
import { StorageError } from "../../src/ports/RouteRepository.js"

describe("storeFailure", () => {
  it("names a missing optional driver, with the package to install", () => {
    const e = storeFailure(
      "sqlite:x.db",
      new StorageError({
        message: "this store needs the better-sqlite3 package; install it next to tailnet-routes",
        cause: new Error("Cannot find package 'better-sqlite3'"),
        missingDriver: "better-sqlite3",
      }),
    )
    expect(e.code).toBe("DRIVER_MISSING")
    expect(e.message).toBe(
      "sqlite:x.db: this store needs the better-sqlite3 package; install it next to tailnet-routes",
    )
    expect(e.details).toEqual({ store: "sqlite:x.db", driver: "better-sqlite3" })
  })

  it("keeps any other storage failure a STORAGE error with its root cause", () => {
    const e = storeFailure(
      "sqlite:x.db",
      new StorageError({ message: "open failed", cause: new Error("EACCES") }),
    )
    expect(e.code).toBe("STORAGE")
    expect(e.message).toBe("sqlite:x.db: open failed (EACCES)")
  })
})
