/**
 * `Prefix` is sealed: its constructor trusts masked words and canonical text,
 * so only the prefix module may call it. The check is the compiler's (the
 * typecheck fails if the `@ts-expect-error` below stops being an error); the
 * runtime part checks that the module's own constructors still agree.
 */
import { describe, expect, it } from "vitest"
import { exitV4, exitV6, isExitRoute, Prefix, parsePrefixUnsafe } from "../../src/domain/Prefix.js"

describe("Prefix is sealed", () => {
  it("cannot be constructed outside its module", () => {
    // @ts-expect-error: the constructor is private
    const forge = (): Prefix => new Prefix(4, 24, 0, 0, 0, 0, "not canonical")
    expect(typeof forge).toBe("function")
  })

  it("builds the same value through every public constructor", () => {
    const parsed = parsePrefixUnsafe("10.1.2.0/24")
    const made = Prefix.makeUnsafe(4, 24, (10 << 24) | (1 << 16) | (2 << 8))
    expect(made).toEqual(parsed)
    expect(made.text).toBe("10.1.2.0/24")
  })

  it("has one exit-route test for values and for canonical text", () => {
    for (const p of [exitV4, exitV6]) {
      expect(isExitRoute(p)).toBe(true)
      expect(isExitRoute(p.text)).toBe(true)
    }
    for (const text of ["10.0.0.0/8", "::/1", "0.0.0.0/1", "128.0.0.0/1"]) {
      expect(isExitRoute(parsePrefixUnsafe(text))).toBe(false)
      expect(isExitRoute(text)).toBe(false)
    }
  })
})
