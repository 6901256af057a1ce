/**
 * io-ts combinators with effect `Schema` semantics, so the codecs built from
 * them accept exactly what the domain's schemas accept. io-ts's own `t.type`
 * differs in ways that matter here: it keeps unknown keys, rejects `Date` and
 * other non-plain objects that `Schema.Struct` takes, and its `t.partial`
 * takes a key present with `undefined`, which `Schema.optionalKey` refuses.
 */
import * as t from "io-ts"

type Simplify<A> = { [K in keyof A]: A[K] } & {}

/** The decoded type of a `struct`: readonly required keys, exact optional keys. @category models */
export type StructType<R extends t.Props, O extends t.Props> = Simplify<
  { readonly [K in keyof R]: t.TypeOf<R[K]> } & { readonly [K in keyof O]?: t.TypeOf<O[K]> }
>

/** The encoded type of a `struct`. @category models */
export type StructOutput<R extends t.Props, O extends t.Props> = Simplify<
  { readonly [K in keyof R]: t.OutputOf<R[K]> } & { readonly [K in keyof O]?: t.OutputOf<O[K]> }
>

// `Schema.Struct` takes any non-null, non-array object (class instances, Object.create(null), Date).
const isObject = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * A struct like `Schema.Struct`: unknown keys are dropped from the decoded
 * value; an optional key may be absent but, when present (`in`, as effect
 * reads it), must decode.
 *
 * @category constructors
 */
export const struct = <R extends t.Props, O extends t.Props = {}>(
  name: string,
  required: R,
  optional: O = {} as O,
): t.Type<StructType<R, O>, StructOutput<R, O>, unknown> => {
  const req = Object.entries(required)
  const opt = Object.entries(optional)
  return new t.Type<StructType<R, O>, StructOutput<R, O>, unknown>(
    name,
    (u): u is StructType<R, O> =>
      isObject(u) && req.every(([k, c]) => c.is(u[k])) && opt.every(([k, c]) => !(k in u) || c.is(u[k])),
    (u, context) => {
      if (!isObject(u)) return t.failure(u, context, `expected an object for ${name}`)
      const out: Record<string, unknown> = {}
      const errors: t.Errors = []
      const field = (k: string, codec: t.Mixed): void => {
        const v = u[k]
        const r = codec.validate(v, t.appendContext(context, k, codec, v))
        if (r._tag === "Left") errors.push(...r.left)
        else out[k] = r.right
      }
      for (const [k, codec] of req) field(k, codec)
      for (const [k, codec] of opt) if (k in u) field(k, codec)
      return errors.length > 0 ? t.failures(errors) : t.success(out as StructType<R, O>)
    },
    (a) => {
      const record = a as Record<string, unknown>
      const out: Record<string, unknown> = {}
      for (const [k, codec] of req) out[k] = codec.encode(record[k])
      for (const [k, codec] of opt) if (k in record) out[k] = codec.encode(record[k])
      return out as StructOutput<R, O>
    },
  )
}

/** `base` narrowed by a predicate, failing with `message(value)`; encoding is `base`'s. @category constructors */
export const refine = <A, O>(
  base: t.Type<A, O, unknown>,
  predicate: (a: A) => boolean,
  name: string,
  message: (a: A) => string,
): t.Type<A, O, unknown> =>
  new t.Type<A, O, unknown>(
    name,
    (u): u is A => base.is(u) && predicate(u),
    (u, context) => {
      const r = base.validate(u, context)
      if (r._tag === "Left") return r
      return predicate(r.right) ? r : t.failure(u, context, message(r.right))
    },
    base.encode,
  )

/**
 * A string-keyed record like `Schema.Record(Schema.String, value)`: any
 * non-null, non-array object, its own enumerable keys decoded into a new
 * plain object (a `Date` or an `Object.create(v)` decodes to `{}`).
 *
 * @category constructors
 */
export const record = <C extends t.Mixed>(
  name: string,
  value: C,
): t.Type<Readonly<Record<string, t.TypeOf<C>>>, Readonly<Record<string, t.OutputOf<C>>>, unknown> =>
  new t.Type<Readonly<Record<string, t.TypeOf<C>>>, Readonly<Record<string, t.OutputOf<C>>>, unknown>(
    name,
    (u): u is Record<string, t.TypeOf<C>> => isObject(u) && Object.keys(u).every((k) => value.is(u[k])),
    (u, context) => {
      if (!isObject(u)) return t.failure(u, context, `expected an object for ${name}`)
      const out: Record<string, t.TypeOf<C>> = {}
      const errors: t.Errors = []
      for (const k of Object.keys(u)) {
        const r = value.validate(u[k], t.appendContext(context, k, value, u[k]))
        if (r._tag === "Left") errors.push(...r.left)
        else out[k] = r.right
      }
      return errors.length > 0 ? t.failures(errors) : t.success(out)
    },
    (a) => {
      const out: Record<string, t.OutputOf<C>> = {}
      for (const k of Object.keys(a)) out[k] = value.encode(a[k])
      return out
    },
  )
