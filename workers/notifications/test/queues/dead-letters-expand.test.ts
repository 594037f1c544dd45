import { env } from "cloudflare:workers";
import { newId } from "@shop/runtime";
import { expect, it } from "vitest";
import { adminToken, api } from "../helpers";

// Migration 0002 (expand): the previous release, still running during a deploy, records dead
// letters with only its own columns; they are listed like any other.
it("a dead letter recorded in the old shape is listed with its times", async () => {
  const id = newId("notification");
  const at = Date.parse("2026-11-29T10:00:00.000Z");
  await env.DB.prepare(
    `INSERT INTO dead_letters (id, dedupe_key, source, message_id, user_id, type, reason, body, status, deaths, created_at, updated_at)
     VALUES (?, ?, 'dead_letter_queue', 'evt_old_release', NULL, 'order.shipped', 'sms failed', '{"id":"evt_old_release"}', 'dead', 1, ?, ?)`,
  )
    .bind(id, `dlq:${id}`, at, at + 5)
    .run();
  const admin = await adminToken();
  const res = await api("/notifications/dead-letters?limit=100", { token: admin.token });
  const item = ((await res.json()) as { items: { id: string }[] }).items.find((d) => d.id === id);
  expect(item).toMatchObject({ createdAt: "2026-11-29T10:00:00.000Z", deaths: 1, status: "dead", replayable: true });
  const row = await env.DB.prepare("SELECT first_seen_at, last_seen_at FROM dead_letters WHERE id = ?")
    .bind(id)
    .first();
  expect(row).toEqual({ first_seen_at: at, last_seen_at: at + 5 });
});
