// Prints the battery's rows (one JSON object per line, written by the tests) as a table.
import { existsSync, readFileSync } from "node:fs";

const [file, results] = process.argv.slice(2);
const rows = existsSync(file)
  ? readFileSync(file, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l))
  : [];
console.log("\nCorrectness battery");
if (!rows.length) console.log("  (no rows recorded)");
const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((k) => k !== "item");
const width = Math.max(4, ...rows.map((r) => r.item.length));
for (const r of rows) {
  const cells = keys.filter((k) => r[k] !== undefined).map((k) => `${k}=${r[k]}`);
  console.log(`  ${r.item.padEnd(width)}  ${cells.join("  ")}`);
}

if (results && existsSync(results)) {
  const r = JSON.parse(readFileSync(results, "utf8"));
  console.log(`\nbattery: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
}
