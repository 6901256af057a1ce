/** Writes docs/schema.json from the effect Schemas of the JSON dialect (`npm run docs:schema`). */
import { writeFileSync } from "node:fs"
import { jsonSchemaText } from "../src/facade/internal/jsonSchemaDocument.js"

const file = new URL("../docs/schema.json", import.meta.url)
writeFileSync(file, jsonSchemaText())
process.stdout.write(`wrote ${file.pathname}\n`)
