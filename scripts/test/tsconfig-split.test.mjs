// Production code cannot see test-only bindings: each worker's tsconfig.json covers src/ alone,
// and test/tsconfig.json adds the test types (test/env.d.ts, cloudflare:test). A probe that
// reads every test-only binding must fail to type-check with the first and pass with the second.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, test } from "node:test";

const ROOT = resolve(import.meta.dirname, "../..");
const ts = createRequire(join(ROOT, "package.json"))("typescript");
const scratch = mkdtempSync(join(tmpdir(), "tsconfig-split-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Members of `interface Env` in a declaration file (names only). */
const envMembers = (file) => [...readFileSync(file, "utf8").matchAll(/^\s+([A-Z][A-Z0-9_]*)\??:/gm)].map((m) => m[1]);

/** Diagnostics of each probe file, compiled together with the files of `tsconfig`. */
function diagnostics(tsconfig, probes) {
  const { config } = ts.readConfigFile(tsconfig, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, resolve(tsconfig, ".."), undefined, tsconfig);
  const program = ts.createProgram([...parsed.fileNames, ...probes], parsed.options);
  return probes.map((probe) => {
    const source = program.getSourceFile(probe);
    return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((d) =>
      ts.flattenDiagnosticMessageText(d.messageText, "\n"),
    );
  });
}

const workers = readdirSync(join(ROOT, "workers")).filter((w) =>
  existsSync(join(ROOT, "workers", w, "test", "env.d.ts")),
);

test("workers declare test bindings in test/env.d.ts", () => {
  assert.ok(workers.length >= 5, `found ${workers.join(", ")}`);
});

for (const worker of workers) {
  const dir = join(ROOT, "workers", worker);
  const production = new Set(envMembers(join(dir, "worker-configuration.d.ts")));
  const testOnly = envMembers(join(dir, "test", "env.d.ts")).filter((name) => !production.has(name));

  test(`${worker}: src sees neither its ${testOnly.length} test-only bindings nor cloudflare:test; its tests see both`, () => {
    assert.ok(testOnly.includes("TEST_MIGRATIONS"), `test-only bindings: ${testOnly.join(", ")}`);
    const bindingsProbe = join(scratch, `${worker}-bindings.ts`);
    writeFileSync(
      bindingsProbe,
      [
        'import { env } from "cloudflare:workers";',
        ...testOnly.map((name) => `export const ${name.toLowerCase()}: unknown = env.${name};`),
      ].join("\n"),
    );
    const importProbe = join(scratch, `${worker}-import.ts`);
    writeFileSync(importProbe, 'import { env } from "cloudflare:test";\nexport const e: unknown = env;\n');

    const [bindings, imports] = diagnostics(join(dir, "tsconfig.json"), [bindingsProbe, importProbe]);
    for (const name of testOnly) {
      assert.ok(
        bindings.some((m) => m.includes(`Property '${name}' does not exist`)),
        `${name} is visible to src/ (diagnostics: ${bindings.join(" | ") || "none"})`,
      );
    }
    assert.ok(
      imports.some((m) => m.includes("Cannot find module 'cloudflare:test'")),
      `cloudflare:test is visible to src/ (diagnostics: ${imports.join(" | ") || "none"})`,
    );
    // The control: the same probes are fine for the tests, so the failures above are about visibility.
    assert.deepEqual(diagnostics(join(dir, "test", "tsconfig.json"), [bindingsProbe, importProbe]), [[], []]);
  });
}
