// Version skew: which release a run compares with, which worker the fast form picks, and which
// tree each worker's code and schema come from in either direction.
import assert from "node:assert/strict";
import { test } from "node:test";
import { combination, pickFastWorker, resolveBase } from "../version-skew.mjs";

/** A repository as `git` answers about it: refs → commits, the v* tags newest first, merge-bases. */
function fakeGit({ refs = {}, tags = [], mergeBase = null }) {
  return (args) => {
    if (args[0] === "rev-parse") return refs[args.at(-1).replace(/\^\{commit\}$/, "")] ?? null;
    if (args[0] === "tag") return tags.join("\n");
    if (args[0] === "merge-base") return mergeBase;
    throw new Error(`unexpected git ${args.join(" ")}`);
  };
}

test("the base is SKEW_BASE, else deployed-production, else the newest v* tag", () => {
  const refs = {
    HEAD: "h",
    "HEAD~1": "p",
    "HEAD~8": "e",
    "refs/tags/deployed-production": "d",
    "refs/tags/v1.10.0": "t10",
    "refs/tags/v1.9.0": "t9",
  };
  const tags = ["v1.10.0", "v1.9.0"];
  assert.deepEqual(resolveBase({ override: "HEAD~8", gitCommand: fakeGit({ refs, tags }) }), {
    ref: "HEAD~8",
    sha: "e",
    rule: "SKEW_BASE",
  });
  assert.equal(resolveBase({ gitCommand: fakeGit({ refs, tags }) }).sha, "d");
  const { "refs/tags/deployed-production": _, ...untagged } = refs;
  assert.deepEqual(resolveBase({ gitCommand: fakeGit({ refs: untagged, tags }) }), {
    ref: "v1.10.0",
    sha: "t10",
    rule: "the newest v* tag",
  });
  assert.throws(
    () => resolveBase({ override: "nope", gitCommand: fakeGit({ refs }) }),
    /SKEW_BASE nope is not a commit/,
  );
});

test("without tags: where a branch left origin/main, else the previous commit", () => {
  const refs = { HEAD: "h", "HEAD~1": "p", "refs/remotes/origin/main": "m" };
  assert.equal(resolveBase({ gitCommand: fakeGit({ refs, mergeBase: "f" }) }).sha, "f");
  // On main itself the fork point is HEAD: the release before it is the previous commit.
  assert.equal(resolveBase({ gitCommand: fakeGit({ refs, mergeBase: "h" }) }).sha, "p");
  const { "refs/remotes/origin/main": _, ...noOrigin } = refs;
  assert.equal(resolveBase({ gitCommand: fakeGit({ refs: noOrigin }) }).rule, "the previous commit");
  assert.throws(() => resolveBase({ gitCommand: fakeGit({ refs: { HEAD: "h" } }) }), /no release to compare with/);
});

test("the fast form takes the changed worker with the most neighbours", () => {
  const graph = new Map([
    ["gateway", ["users", "orders"]],
    ["users", []],
    ["orders", ["users"]],
    ["notifications", []],
  ]);
  assert.equal(pickFastWorker(["notifications", "orders"], graph), "orders");
  assert.equal(pickFastWorker(["notifications"], graph), "notifications");
  // users (called by two) and gateway (calls two) tie: start order decides.
  assert.equal(pickFastWorker(["users", "gateway"], graph), "gateway");
});

test("new among old: the others run and migrate from the base; old among new: only its code is old", () => {
  const workers = ["gateway", "users", "orders"];
  assert.deepEqual(combination("orders", "new", "/base", workers), {
    trees: { gateway: "/base", users: "/base" },
    migrationTrees: { gateway: "/base", users: "/base" },
  });
  // The new schema under the old code: migrations are applied before a worker deploys.
  assert.deepEqual(combination("orders", "old", "/base", workers), { trees: { orders: "/base" }, migrationTrees: {} });
});
