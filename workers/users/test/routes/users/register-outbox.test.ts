import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { NotificationMessage, type User } from "@shop/contracts";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import worker from "../../../src/index";
import { call, PASSWORD, uniqueEmail, userByEmail } from "../../helpers";

type Row = { id: string; payload: string; attempts: number; next_at: number };

const rows = async () => (await env.DB.prepare("SELECT * FROM outbox ORDER BY created_at").all<Row>()).results;

/** Every message handed to the queue, in order. */
const sentIds = (spy: { mock: { calls: [Iterable<MessageSendRequest>, ...unknown[]][] } }) =>
  spy.mock.calls.flatMap((c) => [...c[0]].map((m) => NotificationMessage.parse(m.body).id));

async function runCron(at: number) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: "* * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

async function register(name = "Outbox Person"): Promise<User> {
  const email = uniqueEmail("outbox");
  const res = await call("POST", "/users", { body: { email, password: PASSWORD, name } });
  expect(res.status).toBe(202);
  return userByEmail(email);
}

beforeEach(async () => {
  await env.DB.prepare("DELETE FROM outbox").run();
});
afterEach(() => {
  vi.restoreAllMocks();
});

it("a message the queue took leaves nothing behind in the outbox", async () => {
  const send = vi.spyOn(env.NOTIFICATIONS, "sendBatch");
  await register();
  expect(send).toHaveBeenCalledTimes(1);
  expect(await rows()).toEqual([]);
});

it("a message the queue refused is kept, and the cron sends it once its time has come", async () => {
  const send = vi.spyOn(env.NOTIFICATIONS, "sendBatch").mockRejectedValueOnce(new Error("queue unavailable"));
  const user = await register("Refused Once");
  // The sign-up succeeded; its message waits in the outbox with a retry time.
  const [kept] = await rows();
  expect(kept).toMatchObject({ attempts: 1 });
  const message = NotificationMessage.parse(JSON.parse(kept?.payload ?? "null"));
  expect(message).toMatchObject({ type: "user.email_verification", userId: user.id, channels: ["email"] });
  expect(kept?.next_at).toBeGreaterThan(Date.now() + 20_000);

  // Too early: the cron leaves it alone.
  await runCron(Date.now());
  expect(send).toHaveBeenCalledTimes(1);
  // On time: sent (the same message id, so consumers can tell a repeat), then forgotten.
  await runCron((kept?.next_at ?? 0) + 1);
  expect(sentIds(send)).toEqual([message.id, message.id]);
  expect(await rows()).toEqual([]);
  // Nothing left to send.
  await runCron(Date.now() + 3_600_000);
  expect(send).toHaveBeenCalledTimes(2);
});

it("waits twice as long after each refusal, at most an hour", async () => {
  vi.spyOn(env.NOTIFICATIONS, "sendBatch").mockRejectedValue(new Error("queue unavailable"));
  await register();
  const waits: number[] = [];
  for (let i = 0; i < 9; i++) {
    const [row] = await rows();
    const at = (row?.next_at ?? 0) + 1;
    await runCron(at);
    const [after] = await rows();
    waits.push((after?.next_at ?? 0) - at);
  }
  // Refusal 2 → 60 s, 3 → 120 s, … capped at 3600 s.
  expect(waits.map((w) => Math.round(w / 1000))).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
  expect((await rows())[0]?.attempts).toBe(10);
  // However long the queue stays down, the wait never wraps around to "now".
  await env.DB.prepare("UPDATE outbox SET attempts = 200, next_at = 0").run();
  await runCron(1_000);
  expect((await rows())[0]?.next_at).toBe(1_000 + 3_600_000);
});

it("a later sign-up whose message goes through also flushes older leftovers", async () => {
  const send = vi.spyOn(env.NOTIFICATIONS, "sendBatch").mockRejectedValueOnce(new Error("queue unavailable"));
  await register("Left Over");
  const [left] = await rows();
  // Its retry time has come.
  await env.DB.prepare("UPDATE outbox SET next_at = 0").run();
  await register("Next One");
  await vi.waitFor(async () => expect(await rows()).toEqual([]), { timeout: 2_000, interval: 20 });
  const ids = sentIds(send);
  expect(ids).toHaveLength(3);
  expect(ids.filter((id) => id === left?.id)).toHaveLength(2);
});

it("a taken email writes only the warning to the address's owner, in the same batch, at most once an hour", async () => {
  const email = uniqueEmail("taken");
  expect((await call("POST", "/users", { body: { email, password: PASSWORD, name: "First" } })).status).toBe(202);
  const owner = await userByEmail(email);
  await env.DB.prepare("DELETE FROM outbox").run();
  const send = vi.spyOn(env.NOTIFICATIONS, "sendBatch").mockRejectedValue(new Error("queue unavailable"));
  const res = await call("POST", "/users", { body: { email, password: PASSWORD, name: "Second" } });
  expect(res.status).toBe(202);
  const kept = (await rows()).map((r) => NotificationMessage.parse(JSON.parse(r.payload)));
  expect(kept).toEqual([
    expect.objectContaining({ type: "user.registration_attempt", userId: owner.id, channels: ["email"], data: {} }),
  ]);
  expect(send).toHaveBeenCalledTimes(1);

  await env.DB.prepare("DELETE FROM outbox").run();
  expect((await call("POST", "/users", { body: { email, password: PASSWORD, name: "Third" } })).status).toBe(202);
  expect(await rows()).toEqual([]);
  // Still one account, the first one, unchanged.
  const { results } = await env.DB.prepare("SELECT id, name FROM users WHERE email = ?").bind(email).all();
  expect(results).toEqual([{ id: owner.id, name: "First" }]);
});
