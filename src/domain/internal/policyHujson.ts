/**
 * HuJSON (JSON with `//` and `/* *\/` comments and trailing commas, the
 * Tailscale policy format) to plain JSON. Comments and trailing commas are
 * overwritten with spaces, newlines kept, so every offset, line and column in
 * the output is the same as in the input and a JSON error points at the text
 * the operator wrote.
 */
import { Result } from "effect"

/** A syntax error at a UTF-16 offset of the input. @category models */
export interface TextError {
  readonly offset: number
  readonly reason: string
}

const SLASH = 47
const STAR = 42
const QUOTE = 34
const BACKSLASH = 92
const COMMA = 44
const NEWLINE = 10
const CR = 13

const isWs = (c: number): boolean => c === 32 || c === 9 || c === NEWLINE || c === CR

/** Offset just past the comment starting at `i` (text[i] is '/'), or an error; -1 when `i` starts no comment. */
const commentEnd = (text: string, i: number): number | TextError => {
  const next = text.charCodeAt(i + 1)
  if (next === SLASH) {
    let j = i + 2
    while (j < text.length && text.charCodeAt(j) !== NEWLINE) j++
    return j
  }
  if (next === STAR) {
    const close = text.indexOf("*/", i + 2)
    return close === -1 ? { offset: i, reason: "unterminated /* comment" } : close + 2
  }
  return -1
}

/** Converts HuJSON text to JSON text of the same length. @category constructors */
export const hujsonToJson = (text: string): Result.Result<string, TextError> => {
  const out: string[] = []
  let from = 0 // start of the not yet copied input
  const blank = (start: number, end: number) => {
    out.push(text.slice(from, start))
    // Keep line breaks so line and column numbers survive.
    out.push(text.slice(start, end).replace(/[^\n\r]/g, " "))
    from = end
  }
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0
  if (i === 1) blank(0, 1)
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) {
      // Copy the string as is; only an escaped quote does not end it.
      i++
      while (i < text.length) {
        const s = text.charCodeAt(i)
        if (s === BACKSLASH) i += 2
        else if (s === QUOTE || s === NEWLINE) break
        else i++
      }
      i++
    } else if (c === SLASH) {
      const end = commentEnd(text, i)
      if (typeof end === "object") return Result.fail(end)
      if (end === -1)
        i++ // a stray '/': the JSON parser reports it
      else {
        blank(i, end)
        i = end
      }
    } else if (c === COMMA) {
      // A trailing comma is one followed, past blanks and comments, by a closing bracket.
      let j = i + 1
      for (;;) {
        while (j < text.length && isWs(text.charCodeAt(j))) j++
        if (text.charCodeAt(j) !== SLASH) break
        const end = commentEnd(text, j)
        if (typeof end !== "number" || end === -1) break
        j = end
      }
      const d = text.charCodeAt(j)
      if (d === 93 || d === 125) blank(i, i + 1)
      i++
    } else i++
  }
  out.push(text.slice(from))
  return Result.succeed(out.join(""))
}

/** 1-based line and column (UTF-16 units) of an offset. @category getters */
export const lineColumn = (
  text: string,
  offset: number,
): { readonly line: number; readonly column: number } => {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === NEWLINE || (c === CR && text.charCodeAt(i + 1) !== NEWLINE)) {
      line++
      lineStart = i + 1
    }
  }
  return { line, column: offset - lineStart + 1 }
}
