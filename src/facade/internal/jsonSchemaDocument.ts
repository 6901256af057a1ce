/**
 * Builds `docs/schema.json`: a JSON Schema (draft 2020-12) with one `$defs`
 * entry per record of the JSON dialect, generated from the effect Schemas in
 * `jsonSchemas.ts`. `npm run docs:schema` writes it; a test compares.
 */
import { SchemaRepresentation } from "effect"
import { jsonSchemas } from "../jsonSchemas.js"

/** The JSON Schema document, as a value. @category constructors */
export const jsonSchemaDocument = (): Record<string, unknown> => {
  const names = Object.keys(jsonSchemas) as Array<keyof typeof jsonSchemas>
  const asts = names.map((name) => jsonSchemas[name].ast)
  const multi = SchemaRepresentation.toJsonSchemaMultiDocument(
    SchemaRepresentation.toRepresentations(asts as [(typeof asts)[0], ...typeof asts]),
  )
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://github.com/tailnet-routes/tailnet-routes/docs/schema.json",
    title: "tailnet-routes JSON",
    description:
      "The one JSON dialect of tailnet-routes: the Promise facade's values and the CLI's --json output. Times are epoch milliseconds; prefixes canonical text. Generated from the effect Schemas in src/facade/jsonSchemas.ts by npm run docs:schema.",
    $defs: multi.definitions,
  }
}

/** The document as the committed file's text. @category getters */
export const jsonSchemaText = (): string => `${JSON.stringify(jsonSchemaDocument(), null, 2)}\n`
