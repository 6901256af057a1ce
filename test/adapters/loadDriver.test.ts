/** Loading an adapter's optional driver: a missing package is named, any other failure is not. */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { loadDriver } from "../../src/adapters/internal/loadDriver.js"

const failure = (f: () => Promise<unknown>) => Effect.runPromise(Effect.flip(loadDriver("some-driver", f)))

describe("loadDriver", () => {
  it("names a driver whose package is missing", async () => {
    // A package that is not installed anywhere: the import fails with ERR_MODULE_NOT_FOUND.
    const e = await failure(() => import(`no-such-package-${Date.now()}`))
    expect(e.missingDriver).toBe("some-driver")
  })

  it("does not call another failure a missing driver", async () => {
    const e = await failure(() => Promise.reject(new Error("boom")))
    expect(e._tag).toBe("StorageError")
    expect(e.missingDriver).toBeUndefined()
  })
})
