/** Headscale's datetime text → epoch ms. Each row says why it exists. */
import { describe, expect, it } from "vitest"
import { parseHeadscaleTime } from "../../src/domain/legacyImport/headscaleTime.js"

const rows: ReadonlyArray<readonly [string | null, string | null, string]> = [
  [
    "2023-01-20 15:24:32.036023546+00:00",
    "2023-01-20T15:24:32.036Z",
    "SQLite GORM text, nanoseconds truncated to ms",
  ],
  ["2022-02-26 18:11:55.92837512+01:00", "2022-02-26T17:11:55.928Z", "positive offset"],
  ["2022-02-26 18:11:55-05:30", "2022-02-26T23:41:55.000Z", "negative offset with minutes"],
  ["2024-03-01 10:00:00", "2024-03-01T10:00:00.000Z", "no offset: UTC"],
  ["2023-10-28 11:47:58.0406679+00:00", "2023-10-28T11:47:58.040Z", "seven fraction digits"],
  ["2022-09-01 12:00:00.5+00:00", "2022-09-01T12:00:00.500Z", "one fraction digit is tenths"],
  ["2024-01-09T16:54:15.230Z", "2024-01-09T16:54:15.230Z", "ISO text from the Postgres reader"],
  ["0001-01-01 00:00:00+00:00", null, "Go's zero time: never expires"],
  ["0001-01-01T00:00:00.000Z", null, "Go's zero time as read from Postgres"],
  [null, null, "NULL"],
  ["yesterday", null, "not a datetime"],
]

describe("parseHeadscaleTime", () => {
  it.each(rows)("%s → %s (%s)", (input, iso) => {
    expect(parseHeadscaleTime(input)).toBe(iso === null ? null : Date.parse(iso))
  })
})
