/**
 * Why a benchmark misses its target (or what a figure needs said beside it),
 * keyed by a measurement name or a leading part of one (the longest matching
 * key wins). Written by hand from what the benchmarks measured; the report
 * generator (`bench/report/benchmarksMarkdown.ts`) puts them under "Why a target is missed" or
 * "Notes" in `BENCHMARKS.md`. An entry only shows when its measurement is in
 * the results, and under "Why…" only while the target is missed.
 */
export const explanations: Readonly<Record<string, string>> = {
  "heap per route, RouteIndex over stress":
    "Where the bytes go (settled heap, measured in a `--expose-gc` child): a `Route` ~155 B — twelve fields " +
    "at 8 bytes (stock Node is built without pointer compression) plus `createdAt` and `updatedAt` boxed as " +
    "16-byte heap numbers, since epoch milliseconds exceed the small-integer range; a `Prefix` ~65–70 B a " +
    "route (one per prefix text, shared by an HA group's routes, also when a SQL store loads them); a `Node` " +
    "~250 B, ~62 B a route at 4 routes a node; the index's own structures ~100 B a route (live rows in an " +
    "array indexed by id, node and prefix groups sized exactly). Two changes brought it under 400 B. The probe " +
    "had counted the generated state's arrays (~20 B a route) as retained: a register of its frame still held " +
    "the state when it read the heap. And `RouteIndex.from` now shares user names and tag lists among the " +
    "nodes it loads (a store parses each row's tags into an array of its own): ~14 B a route. The next step " +
    "would be a slimmer `Route` (timestamps as small integers relative to an epoch).",
  "heap per route, RouteIndex over realistic":
    "In the realistic shape only a fifth of the nodes route, so every node's ~280 B lands on about one route; " +
    "the per-route figure is dominated by nodes, not routes, and is reported for context (the target is set " +
    "on the stress shape, 4 routes a node).",
  "failover storm: tick":
    "Missed by about 10% on a quiet machine (this run's load average 0.1), and noisy: runs on this 2-core VM " +
    "gave medians from 39 to 74 ms. The target is the re-election once the grace period has passed (one " +
    "`tick` + `apply` + `settle`); the 5,000 disconnect commands before it are separate commands spread over " +
    "time, shown beside it. The tick moves 11,195 primaries: 22,390 route rows rewritten, each a new `Route`, " +
    "a change-set entry and an index update, about 5 µs a failover, where a bare election of every prefix of " +
    "the same tailnet (the naive row) costs ~20 ms. Three optimisation passes (reconcile and election without " +
    "per-prefix allocation, grace-heap entries marked stale so finding due nodes touches no node, row arrays " +
    "and node lookups reused across neighbouring prefixes) took it from ~130 ms to ~55 ms. A profile inside " +
    "the bench now shows memory latency, not work: after the untimed setup's full collection nearly every " +
    "row, prefix and node touched is a cache miss (~13 ms reading 22.5k rows, ~4.5 ms sorting their prefix " +
    "texts, ~10 ms of Map lookups, ~8 ms `apply`); the same tick over an already-touched index takes " +
    "23–33 ms. A fourth pass tried seven more ideas (node records in grace entries, a separate group-lookup " +
    "pass, deduplicating the texts, node caches, caching `apply` groups, heap rebuilds, flattened strings), " +
    "none measurable, none kept. What would help is a different data layout, fewer objects per route or node " +
    "eligibility in typed arrays, within the heap budget per route (385 of 400 B at 50k stress nodes). A/B on the same machine after this run: the session's starting code 90 ms, this code 76 ms (and 112 ms in a second run of it): the VM of this afternoon is about 1.6-2× slower than the one that measured 34.5 ms in the morning.",
  "cold start: RouteIndex.from + reconcile, stress 250000":
    "Measured as `RouteIndex.from` is, without a forced full collection before each sample. Right after one, " +
    "V8 sets the old-space limit just above the live heap, and the index's growth then triggers a mark-compact " +
    "of the whole ~400 MB heap inside the timed body: ~1.1 s instead of ~0.75 s on this machine. A process " +
    "that has just loaded 1M rows from a store pays some such collection too; which one depends on its heap. A/B on this afternoon's slower VM: the session's starting code measured 1.21 s (738 ms in the morning's quiet run), this code 1.43 s and 1.74 s in two runs; the spread between runs is as large as the difference.",
  "heap per route, RouteIndex over stress 250000":
    "The index's own structures are ~92 B a route here (~100 B at 200k: the Maps' tables are nearer full). " +
    "Since issue 16 the generator's prefixes are distinct /28s across 10.0.0.0/8 and, one in four, IPv6 /64s, " +
    "whose canonical texts are longer than the old /26s; the probe fix and the shared user names and tag " +
    "lists described for 50k nodes took this figure from 406 to ~374 B.",
  "failover storm: tick after 25000":
    "25,000 routers at 250k nodes: the tick rewrites 113,072 rows and moves 56,536 primaries, five times the " +
    "50k storm's work over a tailnet five times larger. Before this line first ran on a quiet machine it was " +
    "measured on the shared 2-core VM under a load average of 3–7: 410–540 ms of CPU, against 110–170 ms for " +
    "the 50k storm in the same conditions, 4–4.5× for 5× the work; from the quiet 50k figure that puts it " +
    "near 140–160 ms.",
  "advertisement change, stress 250000":
    "One million routes as 250k nodes of the stress shape (4 routes a node, HA pairs): a realistic tailnet of " +
    "a million routes would need a million nodes. The change reads the node's 4–5 rows and each prefix's 2, as " +
    "at 10k; what grows is the size of the Maps the lookups go through (cache misses), not the work.",
  "advertisement change, realistic 100000":
    "The flatness ratio divides two medians of a few microseconds (2.9 µs at 10k, 4.6 µs at 100k in this run; " +
    "minimums 1.19 µs and 1.46 µs, a 1.23× ratio), so a fraction of a microsecond moves it: earlier runs on " +
    "this machine measured 1.14× and 1.18×, this one 1.59× at a load average of ~12 on 2 vCPUs. What does grow " +
    "with the tailnet is cache misses: the same one-node change touches maps 10× larger. The work per change " +
    "does not grow (the naive baseline beside it does, 1.6 ms → 80 ms), and 100k nodes is still 4× under the " +
    "50k latency target. Rerun on a quiet machine before reading this ratio as a regression.",
  "sqlite cold load":
    "The whole tailnet goes in as one change set in one transaction: node and route rows as multi-row " +
    "INSERTs of 256 rows a statement, and, when 10k routes or more go into an empty routes table, the " +
    "routes' secondary indexes dropped first and built after the insert (one sort each instead of a B-tree " +
    "insert per row). A unique index that cannot be built rolls the attempt back and the row-by-row pass " +
    "names the row, as it always did.",
  "postgres cold load":
    "Schema 5's commit function. Created rows travel as one binary array per column, read back with one " +
    "`unnest` per column in the select list; schema 4 sent them as JSON, and at 200k routes that cost " +
    "seconds on its own: ~1 s building 64 MB of JSON on the client, the server parsing it as jsonb and " +
    "`jsonb_to_recordset` converting every field through its text form (~0.9 s). When 10k routes or more go " +
    "into an empty routes table the function also loads set-based: it takes its locks without waiting, drops " +
    "the three secondary indexes and the node foreign key (definitions read from the catalog), inserts the " +
    "rows in one statement, builds the indexes (one sort each) and adds the key back (one anti-join). " +
    "Measured with auto_explain on the old path at 200k: the per-row foreign-key trigger took ~0.9 s and " +
    "maintaining four B-trees per row ~1.1 s of a 1.7 s insert. On a near-idle machine the new path spends, " +
    "at 200k, ~0.11 s binding the arrays, ~0.25 s inserting the 50k nodes, ~0.55 s inserting the routes, " +
    "~0.3 s building the indexes and ~40 ms checking the key; the client ~0.4-0.6 s building the arrays. If " +
    "another session holds a lock on routes or nodes, or the rows break a constraint, the block is undone and " +
    "the row-by-row pass runs, so the error names the same row as before. Schema 4 and 5 alternated three " +
    "times at 200k routes while others loaded the machine (load average ~4.5): 7.1-9.2 s against 1.9-2.4 s; " +
    "near idle, schema 5 alone 1.15-1.43 s in a fresh process (the suite's figure comes after the SQLite " +
    "rows, in a process that has built and dropped several tailnets).",
  "sqlite loadAll":
    "Rows are read 8,192 a statement, keyed on the route id, not with one `all()`: at 1M routes a single " +
    "read kept a million row arrays and their strings alive at once, and the collector spent longer copying " +
    "and marking them than SQLite spent reading. Each page comes back as one JSON text " +
    "(`json_group_array(json_array(...))`, one `JSON.parse`) instead of better-sqlite3 handing over every " +
    "value through V8's API (~300 ns a row plus ~70 ns a value), and a live route is read as 7 values, not " +
    "12: its four booleans and its approval packed into one integer, `deleted_at` not read (the filter makes " +
    "it null). A route's node id string is the node's own, found by comparing with the last node matched and " +
    "the next one read, not through a Map. 1M routes, fresh process per run, old and new code alternated on " +
    "the shared 2-core VM, 8 rounds: median 4.03 s before, 2.42 s after. What is left (~2.3 s profile): SQLite " +
    "stepping and building the JSON ~0.6 s, `JSON.parse` and building a `Route` per row ~0.8 s, the prefix " +
    "text looked up among 500k (and each parsed once) ~0.35 s, the collector ~0.4 s (every `Route` survives, " +
    "with its two boxed timestamps). Tried and dropped, no gain measured end to end: one JSON array per column " +
    "instead of per row, comparing a route's prefix with the same slot of the previous node before the Map, a " +
    "ring of recent prefixes, `lag()` to skip repeated node ids (SQLite's window made the read slower).",
  "postgres loadAll":
    "Rows are fetched 8,192 a round trip through a cursor in the read's REPEATABLE READ transaction, with no " +
    "ORDER BY: the heap is in id order until rows are updated, so the routes are sorted in memory only when " +
    "they are not (one pass to check). A single SELECT … ORDER BY id sorted 1M rows on disk (work_mem) and " +
    "handed back a million row arrays at once; keyset pages (`id > $1 ORDER BY id LIMIT n`) fell to a full " +
    "scan and sort per page before the table had statistics, as right after a bulk load (17 s of server CPU " +
    "at 1M). The next page's FETCH goes out before the current page is decoded: the forked fetch runs only " +
    "once the reader yields, so the reader yields right after forking it (without that the FETCH left after " +
    "the decode and nothing overlapped). int8 columns are read as float8 (a number, not a BigInt; exact below " +
    "2^53), and a live route as 7 values (booleans and approval packed into one int4, `deleted_at` not read). " +
    "1M routes, old and new code alternated on the shared 2-core VM, 8 rounds: median 3.35 s before, 2.04 s " +
    "after (2.8-3.3 s while other benchmarks held the load average at 2-3.6). What is left is the client's " +
    "(~2.5 s profile): the driver decoding ~7M values ~0.6 s, building a `Route` per row ~0.3 s, prefix " +
    "lookups ~0.4 s, the " +
    "collector ~0.5 s, waiting for the server ~0.1-0.2 s. Tried and dropped: pages of 4,096 or 16,384 rows " +
    "(no difference measurable), one `json_agg` per block range (`ctid` ranges; the server needs ~1.5 s to " +
    "build the JSON, reading took 1.6-1.75 s against 0.9-1.1 s), `lag()` to skip repeated node ids (+0.25-0.45 " +
    "s of server CPU for ~0.1 s of client).",
  "sqlite steady, synchronous=FULL":
    "Bound by the WAL sync of every commit (synchronous=FULL), so it follows the disk's fsync latency, which " +
    "other work on the machine moves: 3,922/s on the quiet run of 2026-12-02 10:00, 2,000-2,560/s in the " +
    "storage runs of 13:00-13:45 the same day while others ran suites, with the adapter's commit path " +
    "unchanged between them. Rerun on a quiet machine before reading it as a regression.",
  "parse+normalise mixed":
    "Load-sensitive: the two halves measured alone take 53 ms (parsePrefix) and 74 ms (normalisePrefix), " +
    "127 ms together, and the combined run's minimum is 122 ms; its 171 ms median (p99 369 ms) was taken at a " +
    "load average of ~16 on 2 vCPUs. An earlier run on the same machine at lower load measured 137 ms (met). " +
    "Nothing to fix in the code for this figure; rerun on a quiet machine.",
  "replicas: postgres propagation to another replica's subscribers, polling":
    "Without NOTIFY a replica learns of a commit at its next poll of the head (every 1 s here): the commits " +
    "are spread at random over the poll's phase, so the median is about half the interval and the p99 about " +
    "the whole of it, plus one round trip to read the log. With NOTIFY (the default) the poll is only the " +
    "fallback for notifications lost while the LISTEN connection was down.",
  "replicas: postgres committed change sets, 3 replica":
    "One tailnet's commits are linearised by its version: each replica computes a change set on the state " +
    "it has and the store refuses it when another replica committed first, so adding replicas adds retries, " +
    "not commits. Three steps made a lost race cheap: the commit function locks the version row last (so " +
    "contending replicas serialise only on a commit's tail), a refused writer gets the entries it missed with " +
    "the refusal (no extra round trip to catch up), and reading the log is one statement. From 626/s to the " +
    "figure here for three replicas; one replica alone commits about 2,000/s (one round trip each). Beyond " +
    "this, writes to one tailnet would have to be routed to one replica or batched into one commit. This run: 522/s, one replica 1,082/s; the session's starting code, run once on the same machine right after, 615/s and 1,422/s. A direct A/B of small commits (one node's four routes, 5 × 1,000 commits, old and new code alternated twice) shows no cost from schema 5: 0.91-1.23 ms a commit for this code, 1.07-1.60 ms for the starting code, so the difference between single suite runs is this VM's variation (the morning's 1,174/s was measured on a faster day).",
  "replicas: postgres catch-up of":
    "The session's starting code measured 248 ms in one run on the same machine right after this run (160 ms " +
    "in the morning's quiet run on a faster VM); this code 334 ms. A direct A/B of small Postgres commits " +
    "(see the replicas throughput note) found no cost from schema 5, so single runs differ by this VM's " +
    "variation. Catching up is one log read of 1,000 entries a round trip and a fold of each into the index.",
  "service: advertise commands":
    "Each command is one SQLite transaction, synchronous=FULL (a WAL sync per commit), and the manager runs " +
    "commands one at a time, so the rate is about one over the commit latency plus the HTTP handling " +
    "(~0.3-0.5 ms a request: decoding, the key check, the response). On a quiet machine it clears 1,000/s " +
    "with little room; measured while others loaded the same 2-core machine (load average 5-8): 480-570 commands/s over HTTP, with the manager called directly on the " +
    "same file 600-1,150/s, and half the server's CPU profile inside the SQLite commit. The lever is a group " +
    "commit in the manager (the queued commands of one moment written as one transaction), not the HTTP layer.",
}
