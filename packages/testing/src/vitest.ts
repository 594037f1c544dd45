/**
 * The one vitest config every worker suite (and packages/runtime) is built from: the worker runs
 * in workerd through `@cloudflare/vitest-plugin` with the bindings its wrangler.toml declares,
 * plus what only tests need (signing key, migrations, real neighbours as auxiliary workers).
 * A worker's vitest.config.ts says only what is its own.
 *
 * `vitest` and `@cloudflare/vitest-plugin` come from the workspace root's devDependencies on
 * purpose: the very copies every worker's vitest runs with. Declared here, pnpm would install a
 * second copy (other peer versions) and the config would load a plugin foreign to the runner.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig, type ViteUserConfig } from "vitest/config";
import { auxiliaryWorker, generateTestSigningJwk, REPO_ROOT } from "./node.mjs";

type PoolOptions = Exclude<Parameters<typeof cloudflareTest>[0], (...args: never[]) => unknown>;
type MiniflareOptions = NonNullable<PoolOptions["miniflare"]>;
type MiniflareWorker = NonNullable<MiniflareOptions["workers"]>[number];
/** Miniflare types bindings as JSON; ours are JSON values too, from code that does not say so. */
type MiniflareBindings = NonNullable<MiniflareOptions["bindings"]>;

/** What a test run generates once and hands to `bindings` when it is a function. */
export type TestRunKeys = {
  /** The run's Ed25519 private JWK (JSON): the key auxiliary `users` signs with, bound as TEST_SIGNING_JWK. */
  signingJwk: string;
};

/**
 * A neighbour loaded next to the worker under test: `"users"` is the real worker from its bundle
 * (with the run's signing key when it is `users`); `{ worker: "users", ...overrides }` the same
 * with some Miniflare options replaced; any other object a Miniflare worker written in place.
 */
export type AuxiliaryWorker = string | ({ worker: string } & Partial<MiniflareWorker>) | MiniflareWorker;

export type WorkerVitestOptions = {
  /** The worker under test (`workers/<worker>/wrangler.toml`). Leave out for a package tested with `main`. */
  worker?: string;
  /** Entry module when there is no worker (packages/runtime's fixture worker). */
  main?: string;
  /**
   * Generate a signing key for the run: bound as TEST_SIGNING_JWK and given to auxiliary `users`
   * as JWT_PRIVATE_JWK, so tokens minted in tests verify. `{ kid }` fixes its key id.
   */
  signingKey?: boolean | { kid: string };
  /**
   * Migration folders under migrations/ to hand to the tests' setup file: the worker's own as
   * TEST_MIGRATIONS, a neighbour's as TEST_<NAME>_MIGRATIONS.
   */
  migrations?: string[];
  /** Plain bindings (vars, secrets, JSON values) on the worker under test. */
  bindings?:
    | Record<string, unknown>
    | ((keys: TestRunKeys) => Record<string, unknown> | Promise<Record<string, unknown>>);
  auxiliaryWorkers?: AuxiliaryWorker[];
  /** Any other Miniflare options for the worker under test (D1, KV, service bindings, …). */
  miniflare?: Omit<MiniflareOptions, "bindings" | "workers">;
  /** vitest `test` options over the defaults (the worker's test/setup.ts; console output of failing tests only). */
  test?: ViteUserConfig["test"];
  /** Further vite options (e.g. `resolve`), merged into the config as they are. */
  vite?: Omit<ViteUserConfig, "test">;
};

const migrationsBinding = (worker: string | undefined, folder: string) =>
  folder === worker ? "TEST_MIGRATIONS" : `TEST_${folder.toUpperCase()}_MIGRATIONS`;

function resolveAuxiliary(entry: AuxiliaryWorker, signingJwk: string | undefined): MiniflareWorker {
  if (typeof entry !== "string" && typeof entry.worker !== "string") return entry as MiniflareWorker;
  const { worker, ...overrides } = (typeof entry === "string" ? { worker: entry } : entry) as { worker: string };
  const bindings = worker === "users" && signingJwk ? { JWT_PRIVATE_JWK: signingJwk } : {};
  return { ...auxiliaryWorker(worker, bindings), ...overrides } as MiniflareWorker;
}

export function workerVitestConfig(options: WorkerVitestOptions) {
  return defineConfig(async () => {
    const { worker, main, signingKey, migrations = [], auxiliaryWorkers = [], miniflare = {}, vite = {} } = options;
    const kid = typeof signingKey === "object" ? signingKey.kid : undefined;
    const signingJwk = await generateTestSigningJwk(kid);
    const testRunKey = signingKey ? signingJwk : undefined;
    const own = typeof options.bindings === "function" ? await options.bindings({ signingJwk }) : options.bindings;
    const bindings: Record<string, unknown> = { ...(testRunKey ? { TEST_SIGNING_JWK: testRunKey } : {}), ...own };
    for (const folder of migrations) {
      bindings[migrationsBinding(worker, folder)] = await readD1Migrations(join(REPO_ROOT, "migrations", folder));
    }
    const workers = auxiliaryWorkers.map((entry) => resolveAuxiliary(entry, testRunKey));
    // The worker's test/setup.ts (migrations, seeds), when it has one.
    const hasSetup = worker !== undefined && existsSync(join(REPO_ROOT, "workers", worker, "test", "setup.ts"));
    return {
      ...vite,
      plugins: [
        cloudflareTest({
          ...(worker ? { wrangler: { configPath: join(REPO_ROOT, "workers", worker, "wrangler.toml") } } : {}),
          ...(main ? { main } : {}),
          miniflare: {
            ...miniflare,
            ...(Object.keys(bindings).length > 0 ? { bindings: bindings as MiniflareBindings } : {}),
            ...(workers.length > 0 ? { workers } : {}),
          },
        }),
        ...(vite.plugins ?? []),
      ],
      test: {
        setupFiles: hasSetup ? ["./test/setup.ts"] : [],
        // Request log lines only for failing tests.
        silent: "passed-only" as const,
        ...options.test,
      },
    };
  });
}
