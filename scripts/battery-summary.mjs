// Prints the battery's rows (one JSON object per line, written by the tests) as a table.
import { existsSync, readFileSync } from "node:fs";

const file = process.argv[2];
const rows = existsSync(file)
  ? readFileSync(file, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l))
  : [];
console.log("\nCorrectness battery");
if (!rows.length) {
  console.log("  (no rows recorded)");
  process.exit(0);
}
const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((k) => k !== "item");
const width = Math.max(...rows.map((r) => r.item.length), 4);
for (const r of rows) {
  const cells = keys.filter((k) => r[k] !== undefined).map((k) => `${k}=${r[k]}`);
  console.log(`  ${r.item.padEnd(width)}  ${cells.join("  ")}`);
}
