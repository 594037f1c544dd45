#!/usr/bin/env node
/**
 * Writes the demo images into `<dir>` and prints what `wrangler r2 bulk put` needs to put them
 * in the local bucket (the start script runs it after seed.mjs; see scripts/system.mjs):
 *
 *   node workers/products/scripts/seed-r2.mjs /tmp/state/seed-products-r2
 *   → {"binding":"IMAGES","contentType":"image/png","cacheControl":"…","pairs":[{"key":…,"file":…}]}
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { seedImages } from "./seed-images.mjs";

const dir = resolve(process.argv[2] ?? ".");
mkdirSync(dir, { recursive: true });
const pairs = seedImages().map((image) => {
  const file = join(dir, image.key.replaceAll("/", "__"));
  writeFileSync(file, image.bytes);
  return { key: image.key, file };
});
process.stdout.write(
  JSON.stringify({
    binding: "IMAGES",
    contentType: "image/png",
    cacheControl: "public, max-age=31536000, immutable",
    pairs,
  }),
);
