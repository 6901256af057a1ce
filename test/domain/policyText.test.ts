import { Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { PolicyError } from "../../src/domain/autoApprovers.js"
import { hujsonToJson, lineColumn } from "../../src/domain/internal/policyHujson.js"
import { parseJson } from "../../src/domain/internal/policyJson.js"
import { parsePolicyText } from "../../src/domain/policyText.js"

describe("hujsonToJson", () => {
  // [why, hujson, json]
  const table: ReadonlyArray<readonly [string, string, string]> = [
    ["plain JSON unchanged", '{"a": [1, 2]}', '{"a": [1, 2]}'],
    ["line comment blanked", '{"a": 1} // end', '{"a": 1}       '],
    ["block comment blanked, newlines kept", '{/* x\ny */"a": 1}', '{    \n    "a": 1}'],
    ["trailing comma in object", '{"a": 1,}', '{"a": 1 }'],
    ["trailing comma in array", "[1, 2,]", "[1, 2 ]"],
    ["trailing comma before whitespace and comments", "[1, // c\n /* d */ ]", "[1      \n         ]"],
    ["commas inside strings untouched", '{"a": ",}", "b": ",]"}', '{"a": ",}", "b": ",]"}'],
    ["comment markers inside strings untouched", '{"u": "http://x/*y*/"}', '{"u": "http://x/*y*/"}'],
    ["escaped quote does not end a string", '["a\\"//", 1,]', '["a\\"//", 1 ]'],
    ["escaped backslash before the closing quote", '["a\\\\", // c\n]', '["a\\\\"      \n]'],
    ["a middle comma stays", "[1, /* x */ 2]", "[1,         2]"],
    ["two commas: only the last is trailing", "[1,,]", "[1, ]"],
    ["byte order mark blanked", "\ufeff{}", " {}"],
    ["a lone slash is left for the JSON parser", "[1 / 2]", "[1 / 2]"],
  ]
  it.each(table)("%s", (_why, hujson, json) => {
    expect(hujsonToJson(hujson)).toEqual(Result.succeed(json))
  })

  it("an unterminated block comment is an error at its start", () => {
    expect(hujsonToJson('{"a": 1 /* open')).toEqual(
      Result.fail({ offset: 8, reason: "unterminated /* comment" }),
    )
  })

  it("keeps the text's length, so offsets need no mapping", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("/", "*", '"', "\\", ",", "]", "}", "\n", "a", " ") }),
        (s) => {
          const r = hujsonToJson(s)
          if (Result.isSuccess(r)) expect(r.success.length).toBe(s.length)
        },
      ),
    )
  })
})

describe("lineColumn", () => {
  it("counts lines and 1-based columns, CRLF as one break", () => {
    const text = "ab\ncd\r\nef\rg"
    expect([0, 2, 3, 4, 7, 8, 10, 11].map((o) => lineColumn(text, o))).toEqual([
      { line: 1, column: 1 },
      { line: 1, column: 3 },
      { line: 2, column: 1 },
      { line: 2, column: 2 },
      { line: 3, column: 1 },
      { line: 3, column: 2 },
      { line: 4, column: 1 },
      { line: 4, column: 2 },
    ])
  })
})

describe("parseJson", () => {
  it("agrees with JSON.parse on serialised values", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, "\t"), (v, indent) => {
        const text = JSON.stringify(v, null, indent)
        expect(parseJson(text)).toEqual(Result.succeed(JSON.parse(text)))
      }),
    )
  })

  it("accepts exactly what JSON.parse accepts, with the same value", () => {
    const unit = fc.constantFrom(...'{}[],:"\\ 0123-.eE+truefalsnul\n\tu/abx'.split(""))
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 20 }), (s) => {
        let expected: Result.Result<unknown, string>
        try {
          expected = Result.succeed(JSON.parse(s))
        } catch {
          expected = Result.fail("error")
        }
        const got = parseJson(s)
        // The one deliberate difference: duplicate keys are an error here, the last one wins in JSON.parse.
        if (Result.isFailure(got) && got.failure.reason.startsWith("duplicate key"))
          expect(Result.isSuccess(expected)).toBe(true)
        else expect(Result.isSuccess(got) ? got : Result.fail("error")).toEqual(expected)
      }),
      { numRuns: 3000 },
    )
  })

  it("treats __proto__ as an ordinary key, as JSON.parse does", () => {
    const r = parseJson('{"__proto__": {"x": 1}}')
    expect(
      Result.isSuccess(r) && [Object.keys(r.success as object), Object.getPrototypeOf(r.success)],
    ).toEqual([["__proto__"], Object.prototype])
  })

  // [why, text, offset, reason]
  const errors: ReadonlyArray<readonly [string, string, number, string]> = [
    ["missing value", '{"a":}', 5, "unexpected '}'; expected a value"],
    ["missing comma", '{"a":1 "b":2}', 7, "unexpected '\"'; expected ',' or '}'"],
    ["missing colon", '{"a" 1}', 5, "unexpected '1'; expected ':'"],
    ["unquoted key", "{a:1}", 1, "unexpected 'a'; expected a property name"],
    ["trailing comma is not JSON", "[1,]", 3, "unexpected ']'; expected a value"],
    ["unterminated array", "[1", 2, "unexpected end of input; expected ',' or ']'"],
    ["unterminated string", '"abc', 4, "unterminated string"],
    ["bad escape", '"\\q"', 1, "bad escape in string"],
    ["bad unicode escape", '"\\u12g4"', 1, "bad \\u escape in string"],
    ["raw newline in string", '"a\nb"', 2, "control character in string"],
    ["garbage after the value", "{} x", 3, "unexpected 'x'; expected end of input"],
    ["leading zero", "01", 1, "unexpected '1'; expected end of input"],
    ["empty text", "", 0, "unexpected end of input; expected a value"],
    ["duplicate key, at the second occurrence", '{"a": 1, "b": {}, "a": 2}', 18, 'duplicate key "a"'],
    ["control character shown as a code point", "[\u0001]", 1, "unexpected U+0001; expected a value"],
  ]
  it.each(errors)("error: %s", (_why, text, offset, reason) => {
    expect(parseJson(text)).toEqual(Result.fail({ offset, reason }))
  })

  it("deep nesting is an error, not a crash", () => {
    const r = parseJson("[".repeat(200_000))
    expect(Result.isFailure(r) && r.failure.reason).toBe("nesting too deep")
  })
})

// Prints a JSON value as HuJSON, with comments (holding quotes, commas and
// brackets) and trailing commas wherever the generator decides.
const hujsonOf = (v: unknown, pick: (n: number) => number): string => {
  const junk = ['"', ",}", ",]", "//", "/*", "x"]
  const gap = (): string => {
    switch (pick(4)) {
      case 0:
        return ` // ${junk[pick(junk.length)]}\n`
      case 1:
        return ` /* ${junk[pick(junk.length)]!.replace("/", "")} */ `
      default:
        return pick(2) === 0 ? "" : "\n  "
    }
  }
  const trailing = () => (pick(2) === 0 ? `,${gap()}` : gap())
  if (Array.isArray(v))
    return v.length === 0
      ? `[${gap()}]`
      : `[${v.map((x) => gap() + hujsonOf(x, pick) + gap()).join(",")}${trailing()}]`
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v)
    return entries.length === 0
      ? `{${gap()}}`
      : `{${entries.map(([k, x]) => `${gap()}${JSON.stringify(k)}${gap()}:${gap()}${hujsonOf(x, pick)}${gap()}`).join(",")}${trailing()}}`
  }
  return JSON.stringify(v)
}

describe("HuJSON round trip", () => {
  it("comments and trailing commas anywhere between tokens leave the value unchanged", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.infiniteStream(fc.nat(1000)), (v, stream) => {
        const it = stream[Symbol.iterator]()
        const text = hujsonOf(v, (n) => it.next().value % n)
        const json = hujsonToJson(text)
        expect(Result.isSuccess(json) ? parseJson(json.success) : json).toEqual(
          Result.succeed(JSON.parse(JSON.stringify(v))),
        )
      }),
    )
  })
})

describe("parsePolicyText", () => {
  it("parses a HuJSON policy with comments, trailing commas and tricky strings", () => {
    const text = `// tailnet policy
{
  "groups": {
    "group:eng": ["bob@", "carol@example.com",], // trailing comma
  },
  /* the approvers
     block */
  "autoApprovers": {
    "routes": {
      "10.0.0.0/8": ["group:eng", "tag:router"],
      "fd00::/8": ["alice@"],
    },
    "exitNode": ["alice@"],
  },
  "hosts": { "note": "not a // comment ,} nor /* this */", },
}
`
    expect(parsePolicyText(text)).toEqual(
      Result.succeed({
        groups: { "group:eng": ["bob@", "carol@example.com"] },
        autoApprovers: {
          routes: { "10.0.0.0/8": ["group:eng", "tag:router"], "fd00::/8": ["alice@"] },
          exitNode: ["alice@"],
        },
      }),
    )
  })

  it("parses plain JSON", () => {
    expect(parsePolicyText('{"autoApprovers": {"exitNode": ["tag:exit"]}}')).toEqual(
      Result.succeed({ autoApprovers: { exitNode: ["tag:exit"] } }),
    )
  })

  const syntax = (text: string, reason: string) =>
    Result.fail(new PolicyError({ path: "", input: text, reason }))

  it("a syntax error names line and column", () => {
    const text = '{\n  "autoApprovers": {\n    "exitNode": ["alice@" "bob@"]\n  }\n}'
    expect(parsePolicyText(text)).toEqual(
      syntax(text, "line 3, column 27: unexpected '\"'; expected ',' or ']'"),
    )
  })

  it("a syntax error after comments keeps the original position", () => {
    const text = '/* one\ntwo */ { // three\n  "a": tru }'
    expect(parsePolicyText(text)).toEqual(syntax(text, "line 3, column 8: unexpected 't'; expected a value"))
  })

  it("an unterminated block comment names its start", () => {
    const text = '{\n  "a": 1 /* open\n}'
    expect(parsePolicyText(text)).toEqual(syntax(text, "line 2, column 10: unterminated /* comment"))
  })

  it("a comma inside a string is not a trailing comma", () => {
    const text = '{"autoApprovers": {"exitNode": ["a,]"]}}'
    expect(parsePolicyText(text)).toEqual(
      Result.fail(
        new PolicyError({
          path: "autoApprovers.exitNode[0]",
          input: "a,]",
          reason: '"a,]" is not an approver; expected user@, user@domain, group:name or tag:name',
        }),
      ),
    )
  })

  it("an invalid policy gives validatePolicy's error", () => {
    const text = '{ "autoApprovers": { "routes": { "10.0.0.1/24": ["alice@"], }, }, }'
    expect(parsePolicyText(text)).toEqual(
      Result.fail(
        new PolicyError({
          path: 'autoApprovers.routes["10.0.0.1/24"]',
          input: "10.0.0.1/24",
          reason: "10.0.0.1/24 has non-address bits set; expected 10.0.0.0/24",
        }),
      ),
    )
  })

  it("regression: a duplicated routes key is an error, not a silent loss of approvers", () => {
    const text =
      '{"autoApprovers": {\n  "routes": {"10.0.0.0/8": ["a@"]},\n  "routes": {"11.0.0.0/8": ["b@"]}}}'
    expect(parsePolicyText(text)).toEqual(syntax(text, 'line 3, column 3: duplicate key "routes"'))
  })

  it("an undefined group is an error", () => {
    expect(parsePolicyText('{"autoApprovers": {"exitNode": ["group:ops"]}} // x')).toEqual(
      Result.fail(
        new PolicyError({
          path: "autoApprovers.exitNode[0]",
          input: "group:ops",
          reason: "group:ops is not defined in groups",
        }),
      ),
    )
  })
})
