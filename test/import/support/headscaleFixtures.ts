/** Builds Headscale SQLite databases from the dumps in `test/fixtures/headscale/`, in a temp dir. */
import { createHash } from "node:crypto"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import Database from "better-sqlite3"

// Inside the checkout: a clone has everything its tests read (see the README there for the licence).
const fixtureDir = resolve(import.meta.dirname, "../../fixtures/headscale")

/** The three dumps, by era. */
export const dumps = {
  "0.17": "headscale-0.17.1-schema.sql",
  "0.22": "headscale-0.22.3-routes-table.sql",
  "0.26": "headscale-0.26.1-approved-routes.sql",
} as const

/** The SQL text of a dump. */
export const dumpSql = (which: keyof typeof dumps): string =>
  readFileSync(join(fixtureDir, dumps[which]), "utf8")

/** A fresh SQLite file loaded with a dump, then `extra` SQL; returns its path. */
export const buildSqlite = (which: keyof typeof dumps, extra = ""): string => {
  const dir = mkdtempSync(join(tmpdir(), "headscale-import-"))
  const path = join(dir, `${which}.sqlite`)
  const db = new Database(path)
  db.exec(dumpSql(which))
  if (extra !== "") db.exec(extra)
  db.close()
  return path
}

/** SHA-256 of a file's bytes, to prove a source was not written. */
export const fileHash = (path: string): string =>
  createHash("sha256").update(readFileSync(path)).digest("hex")

/**
 * Rows for the schema-only 0.17 dump, the way such a database looked:
 * namespaces instead of users, `enabled_routes` and `host_info` as JSON text,
 * `forced_tags` JSON, nanosecond datetimes with `+00:00`, numeric booleans.
 *
 * - machine 1 (alice): advertises and has enabled 10.1.0.0/16 and 192.168.10.0/24, advertises 10.11.0.0/16 unapproved;
 *   its enabled_routes repeats 10.1.0.0/16 (a duplicate).
 * - machine 2 (alice): enabled 10.1.0.0/16 too (second router, same subnet),
 *   and 172.16.5.0/24, which its Hostinfo no longer advertises; plus the
 *   garbage element "10.300.0.0/16" and a host-bits "192.168.77.1/24".
 * - machine 3 (bob, tagged, ephemeral key, expiry set): advertises the exit pair,
 *   only 0.0.0.0/0 enabled (the other half is advertised: completed).
 * - machine 4 (bob): advertises only ::/0 and has it enabled (half pair: left half),
 *   and no stored Hostinfo RoutableIPs → "advertised unknown" for nothing else.
 * - machine 5 (bob): no Hostinfo at all: its enabled 10.5.0.0/24 is advertised (unknown → true).
 * - machine 6 (deleted_at set): its routes are not imported.
 * - machine 7 belongs to namespace 99, which does not exist.
 */
export const legacyRows = `
INSERT INTO namespaces VALUES(1,'2022-01-01 10:00:00.123456789+00:00','2022-01-01 10:00:00.123456789+00:00',NULL,'alice');
INSERT INTO namespaces VALUES(2,'2022-01-02 10:00:00+00:00','2022-01-02 10:00:00+00:00',NULL,'bob');
INSERT INTO pre_auth_keys VALUES(1,'k1',2,0,1,1,'2022-02-01 09:00:00+00:00','2022-02-01 10:00:00+00:00');
INSERT INTO pre_auth_keys VALUES(2,'k2',2,0,0,1,'2022-02-01 09:00:00+00:00','2022-02-01 10:00:00+00:00');
INSERT INTO machines VALUES(1,'mk1','nk1','dk1','["100.64.0.1"]','gw-a','gw-a',1,'cli','null',0,'2022-09-01 12:00:00.5+00:00',NULL,'0001-01-01 00:00:00+00:00',
  '{"Hostname":"gw-a","RoutableIPs":["10.1.0.0/16","192.168.10.0/24","10.11.0.0/16"]}','[]','["10.1.0.0/16","192.168.10.0/24","10.1.0.0/16"]',
  '2022-03-01 08:00:00.000000001+00:00','2022-09-01 12:00:00+00:00',NULL);
INSERT INTO machines VALUES(2,'mk2','nk2','dk2','["100.64.0.2"]','gw-b','gw-b',1,'cli','[]',0,NULL,NULL,NULL,
  '{"Hostname":"gw-b","RoutableIPs":["10.1.0.0/16","192.168.77.0/24"]}','[]','["10.1.0.0/16","172.16.5.0/24","10.300.0.0/16","192.168.77.1/24"]',
  '2022-03-02 08:00:00+00:00','2022-03-02 08:00:00+00:00',NULL);
INSERT INTO machines VALUES(3,'mk3','nk3','dk3','["100.64.0.3"]','exit-a','exit-a',2,'authkey','["tag:exit","tag:infra"]',1,NULL,NULL,'2030-01-01 00:00:00+01:00',
  '{"RoutableIPs":["0.0.0.0/0","::/0"]}','[]','["0.0.0.0/0"]',
  '2022-04-01 08:00:00+02:00','2022-04-01 08:00:00+02:00',NULL);
INSERT INTO machines VALUES(4,'mk4','nk4','dk4','["100.64.0.4"]','exit-b','exit-b',2,'authkey','null',2,NULL,NULL,'0001-01-01 00:00:00+00:00',
  '{"RoutableIPs":["::/0"]}','[]','["::/0"]',
  '2022-04-02 08:00:00+00:00','2022-04-02 08:00:00+00:00',NULL);
INSERT INTO machines VALUES(5,'mk5','nk5','dk5','["100.64.0.5"]','old','old',2,'cli',NULL,NULL,NULL,NULL,NULL,
  NULL,'[]','["10.5.0.0/24"]',
  '2022-04-03 08:00:00+00:00','2022-04-03 08:00:00+00:00',NULL);
INSERT INTO machines VALUES(6,'mk6','nk6','dk6','["100.64.0.6"]','gone','gone',1,'cli','null',0,NULL,NULL,NULL,
  '{"RoutableIPs":["10.6.0.0/24"]}','[]','["10.6.0.0/24"]',
  '2022-04-04 08:00:00+00:00','2022-05-04 08:00:00+00:00','2022-05-04 08:00:00+00:00');
INSERT INTO machines VALUES(7,'mk7','nk7','dk7','["100.64.0.7"]','stray','stray',99,'cli','null',0,NULL,NULL,NULL,
  '{}','[]','[]',
  '2022-04-05 08:00:00+00:00','2022-04-05 08:00:00+00:00',NULL);
`
