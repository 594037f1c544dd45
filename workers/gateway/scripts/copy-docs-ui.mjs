// Serves the API reference UI from our own assets instead of a CDN, so /docs works offline
// and under a strict CSP. The file is generated on install (git-ignored).
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
try {
  const src = join(here, "..", "node_modules", "@scalar", "api-reference", "dist", "browser", "standalone.js");
  if (!existsSync(src)) throw new Error(`missing ${src}`);
  mkdirSync(join(here, "..", "public", "docs"), { recursive: true });
  copyFileSync(src, join(here, "..", "public", "docs", "api-reference.js"));
} catch (err) {
  console.warn(`gateway: API reference UI not copied (${err.message}); /docs will load it from the CDN`);
}
