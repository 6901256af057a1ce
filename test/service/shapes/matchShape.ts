/**
 * Checks a JSON value against one definition of a shape document in this
 * folder (a small subset of the OpenAPI 2 schema language: type, format,
 * enum, properties, items, $ref, plus `nullable` and `additionalProperties`).
 * Strict on purpose: every declared property must be present (grpc-gateway
 * emits unpopulated fields), no undeclared one may appear, and uint64 and
 * date-time strings must look like what protojson writes.
 */
import { readFileSync } from "node:fs"
import path from "node:path"

interface Shape {
  readonly type?: "object" | "array" | "string" | "integer" | "boolean"
  readonly format?: string
  readonly enum?: ReadonlyArray<string>
  readonly properties?: Readonly<Record<string, Shape>>
  readonly items?: Shape
  readonly $ref?: string
  readonly nullable?: boolean
  readonly additionalProperties?: boolean
}

/** A shape document: where it came from, which definition each call answers with, the definitions. */
export interface ShapeDoc {
  readonly source: string
  readonly paths: Readonly<Record<string, string>>
  readonly definitions: Readonly<Record<string, Shape>>
}

/** Reads `headscale-0.25`, `headscale-0.26` or `tailscale-v2`. */
export const loadShapes = (name: string): ShapeDoc =>
  JSON.parse(readFileSync(path.join(import.meta.dirname, `${name}.json`), "utf8")) as ShapeDoc

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/
const uint64 = /^(0|[1-9][0-9]{0,19})$/

const check = (doc: ShapeDoc, shape: Shape, value: unknown, at: string, out: string[]): void => {
  if (shape.$ref !== undefined) {
    const name = shape.$ref.replace("#/definitions/", "")
    const target = doc.definitions[name]
    if (target === undefined) throw new Error(`shape document has no definition ${name}`)
    if (value !== null || shape.nullable !== true) check(doc, target, value, at, out)
    return
  }
  if (value === null) {
    if (shape.nullable !== true) out.push(`${at}: null where ${shape.type} is expected`)
    return
  }
  switch (shape.type) {
    case "string":
      if (typeof value !== "string") {
        out.push(`${at}: expected a string, got ${JSON.stringify(value)}`)
        return
      }
      if (shape.format === "uint64" && !uint64.test(value))
        out.push(`${at}: ${JSON.stringify(value)} is not a uint64`)
      if (shape.format === "date-time" && (!rfc3339.test(value) || Number.isNaN(Date.parse(value))))
        out.push(`${at}: ${JSON.stringify(value)} is not an RFC 3339 time`)
      if (shape.enum !== undefined && !shape.enum.includes(value))
        out.push(`${at}: ${JSON.stringify(value)} is not one of ${shape.enum.join(", ")}`)
      return
    case "integer":
      if (!Number.isInteger(value)) {
        out.push(`${at}: expected an integer, got ${JSON.stringify(value)}`)
        return
      }
      if (shape.format === "int32" && ((value as number) < -(2 ** 31) || (value as number) >= 2 ** 31))
        out.push(`${at}: ${value} is out of int32 range`)
      return
    case "boolean":
      if (typeof value !== "boolean") out.push(`${at}: expected a boolean, got ${JSON.stringify(value)}`)
      return
    case "array":
      if (!Array.isArray(value)) out.push(`${at}: expected an array, got ${JSON.stringify(value)}`)
      else for (const [i, v] of value.entries()) check(doc, shape.items ?? {}, v, `${at}[${i}]`, out)
      return
    case "object": {
      if (typeof value !== "object" || Array.isArray(value)) {
        out.push(`${at}: expected an object, got ${JSON.stringify(value)}`)
        return
      }
      const record = value as Record<string, unknown>
      const props = shape.properties ?? {}
      for (const [k, s] of Object.entries(props)) {
        if (!(k in record)) out.push(`${at}.${k}: missing`)
        else check(doc, s, record[k], `${at}.${k}`, out)
      }
      if (shape.additionalProperties !== true)
        for (const k of Object.keys(record)) if (!(k in props)) out.push(`${at}.${k}: not in the shape`)
      return
    }
    default:
      return
  }
}

/** Every way `value` differs from the named definition; empty when it matches. */
export const shapeProblems = (doc: ShapeDoc, definition: string, value: unknown): string[] => {
  const out: string[] = []
  check(doc, { $ref: `#/definitions/${definition}` }, value, definition, out)
  return out
}
