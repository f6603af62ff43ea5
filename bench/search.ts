/**
 * Text search in the local backend (local/convex-backend/searchIndex.ts): adminUsers:search's two queries
 * (search_name and search_email, `.take(25)`, as convex/model/adminUsers.ts runs them) on N users, with the
 * search index and with the table scan it replaced (convex-test's), on the engine in-process. Reports time per
 * query and the documents each one examines (a figure the machine's load does not change).
 *   npx tsx bench/search.ts [--users=30000] [--runs=50]
 */
import schema from "../convex/schema";
import { createInstance, type Doc, type SerializedQuery } from "../local/convex-backend/internals";
import { RAISED_LIMITS } from "../local/convex-backend/limits";
import { pct } from "./support";

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const users = arg("users", 30_000);
const runs = arg("runs", 50);

const inst = await createInstance(schema, { "../convex/_generated/__local_backend_marker.js": async () => ({}) });
inst.limits = RAISED_LIMITS; // building the table only: the measured queries read 25 documents each
for (let from = 0; from < users; from += 5_000) {
  await inst.t.run(async (ctx) => {
    const db = (ctx as { db: { insert: (t: string, d: object) => Promise<string> } }).db;
    for (let i = from; i < Math.min(users, from + 5_000); i++) {
      const role = i % 50 === 0 ? "advisor" : "client";
      const name = role === "advisor" ? `Advisor ${i}` : `Client ${i}`;
      await db.insert("users", {
        tokenIdentifier: `local|scale-${role}-${i}`,
        name,
        email: `scale-${role}-${i}@scale.test`,
        role,
        status: "active",
        createdAt: i,
      });
    }
    return null;
  });
}

const search = (index: string, field: string, text: string, role?: string): SerializedQuery => ({
  source: {
    type: "Search",
    indexName: `users.${index}`,
    filters: [
      { type: "Search", fieldPath: field, value: text },
      ...(role === undefined ? [] : [{ type: "Eq", fieldPath: "role", value: role }]),
    ],
  },
  operators: [{ limit: 25 }],
});
const cases: [string, string | undefined][] = [
  ["Client 12", undefined],
  ["advisor 4", "advisor"],
  ["scale-client-299", undefined],
];

let examined = 0;
const iterate = inst.db._iterateDocs;
inst.db._iterateDocs = (table, cb) => iterate.call(inst.db, table, (d: Doc) => (examined++, cb(d)));
const run = inst.store.search.run.bind(inst.store.search);
inst.store.search.run = (plan, visit) => run(plan, (d) => (examined++, visit(d)));

for (let i = 0; i < 3; i++) {
  const tBuild = performance.now();
  inst.store.search.rebuild(); // as on a load from the data directory
  console.log(`search indexes of the schema built in ${(performance.now() - tBuild).toFixed(0)} ms`);
}
console.log(`adminUsers:search queries on ${users} users, ${runs} runs each (in-process engine):`);
console.log("| query | path | results | docs examined | p50 ms | p95 ms |\n| --- | --- | --: | --: | --: | --: |");
for (const [text, role] of cases) {
  for (const indexed of [false, true]) {
    inst.store.search.enabled = indexed;
    const times: number[] = [];
    let results = 0;
    for (let i = 0; i <= runs; i++) {
      examined = 0;
      const t0 = performance.now();
      results = inst.store.evaluate(search("search_name", "name", text, role), null).length;
      results += inst.store.evaluate(search("search_email", "email", text, role), null).length;
      if (i > 0) times.push(performance.now() - t0); // the first run builds the index
    }
    times.sort((a, b) => a - b);
    const ms = (p: number) => pct(times, p).toFixed(2);
    const label = `"${text}"${role ? ` role=${role}` : ""}`;
    console.log(
      `| ${label} | ${indexed ? "search index" : "table scan"} | ${results} | ${examined} | ${ms(50)} | ${ms(95)} |`,
    );
  }
}
