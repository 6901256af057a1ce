/**
 * A strict RFC 8259 JSON parser that reports the offset of the first error.
 * `JSON.parse` would do the parsing, but its messages differ between Node
 * versions and often carry no position; policy errors must name line and column.
 */
import { Result } from "effect"
import type { TextError } from "./policyHujson.js"

class Fail {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y

const escapes: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
}

const describe = (text: string, i: number): string => {
  if (i >= text.length) return "end of input"
  const c = text.charCodeAt(i)
  return c < 0x20 ? `U+${c.toString(16).padStart(4, "0").toUpperCase()}` : `'${text[i]}'`
}

/** Parses JSON text into a value, or the offset and reason of the first error. @category constructors */
export const parseJson = (text: string): Result.Result<unknown, TextError> => {
  let i = 0

  const unexpected = (expected: string): never => {
    throw new Fail(i, `unexpected ${describe(text, i)}; expected ${expected}`)
  }

  const ws = () => {
    for (;;) {
      const c = text.charCodeAt(i)
      if (c === 32 || c === 9 || c === 10 || c === 13) i++
      else return
    }
  }

  const string = (): string => {
    i++ // opening quote
    let out = ""
    let from = i
    for (;;) {
      if (i >= text.length) throw new Fail(i, "unterminated string")
      const c = text.charCodeAt(i)
      if (c === 34) {
        out += text.slice(from, i)
        i++
        return out
      }
      if (c < 0x20) throw new Fail(i, "control character in string")
      if (c === 92) {
        out += text.slice(from, i)
        const e = text[i + 1]
        if (e === "u") {
          const hex = text.slice(i + 2, i + 6)
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Fail(i, "bad \\u escape in string")
          out += String.fromCharCode(Number.parseInt(hex, 16))
          i += 6
        } else if (e !== undefined && Object.hasOwn(escapes, e)) {
          out += escapes[e]
          i += 2
        } else throw new Fail(i, "bad escape in string")
        from = i
      } else i++
    }
  }

  const value = (): unknown => {
    ws()
    const c = text[i]
    if (c === "{") {
      i++
      const obj: Record<string, unknown> = {}
      ws()
      if (text[i] === "}") {
        i++
        return obj
      }
      for (;;) {
        ws()
        if (text[i] !== '"') unexpected("a property name")
        const keyAt = i
        const key = string()
        // JSON.parse keeps the last duplicate; in a policy that silently drops approvers, so it is an error.
        if (Object.hasOwn(obj, key)) throw new Fail(keyAt, `duplicate key ${JSON.stringify(key)}`)
        ws()
        if (text[i] !== ":") unexpected("':'")
        i++
        // defineProperty, as JSON.parse does: "__proto__" is an ordinary key.
        Object.defineProperty(obj, key, {
          value: value(),
          enumerable: true,
          writable: true,
          configurable: true,
        })
        ws()
        if (text[i] === ",") i++
        else if (text[i] === "}") {
          i++
          return obj
        } else unexpected("',' or '}'")
      }
    }
    if (c === "[") {
      i++
      const arr: unknown[] = []
      ws()
      if (text[i] === "]") {
        i++
        return arr
      }
      for (;;) {
        arr.push(value())
        ws()
        if (text[i] === ",") i++
        else if (text[i] === "]") {
          i++
          return arr
        } else unexpected("',' or ']'")
      }
    }
    if (c === '"') return string()
    for (const [word, v] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length
        return v
      }
    }
    number.lastIndex = i
    const m = number.exec(text)
    if (m !== null) {
      i += m[0].length
      return Number(m[0])
    }
    return unexpected("a value")
  }

  try {
    const v = value()
    ws()
    if (i < text.length) unexpected("end of input")
    return Result.succeed(v)
  } catch (e) {
    if (e instanceof Fail) return Result.fail({ offset: e.offset, reason: e.reason })
    // Recursion depth is the nesting depth; a stack overflow is the text's fault, not a bug.
    if (e instanceof RangeError) return Result.fail({ offset: i, reason: "nesting too deep" })
    throw e
  }
}
