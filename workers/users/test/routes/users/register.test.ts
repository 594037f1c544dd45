import { env } from "cloudflare:workers";
import { NotificationMessage } from "@shop/contracts";
import { sha256Hex } from "@shop/runtime";
import { afterEach, describe, expect, it, vi } from "vitest";
import { call, expectProblem, PASSWORD, registerUser, uniqueEmail, userByEmail } from "../../helpers";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("POST /users", () => {
  it("creates an unverified customer, answers 202 with no id or secret, and mails a verification link", async () => {
    const send = vi.spyOn(env.NOTIFICATIONS, "sendBatch");
    const email = uniqueEmail("New.Person");
    const res = await call("POST", "/users", { body: { email, password: PASSWORD, name: "New Person" } });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: "pending_verification" });
    const user = await userByEmail(email);
    expect(user).toMatchObject({
      email: email.toLowerCase(),
      name: "New Person",
      role: "customer",
      emailVerified: false,
    });

    expect(send).toHaveBeenCalledTimes(1);
    const sent = [...(send.mock.calls[0]?.[0] ?? [])].map((m) => NotificationMessage.parse(m.body));
    // No welcome yet (it waits for verification): only the link, by email.
    expect(sent).toEqual([
      expect.objectContaining({ type: "user.email_verification", userId: user.id, channels: ["email"] }),
    ]);
    // The token is stored only as its hash, bound to the address.
    const token = (sent[0]?.data as { token?: string } | undefined)?.token ?? "";
    const { results } = await env.DB.prepare("SELECT token_hash, email FROM email_verifications WHERE user_id = ?")
      .bind(user.id)
      .all<{ token_hash: string; email: string }>();
    expect(results).toEqual([{ token_hash: await sha256Hex(token), email: email.toLowerCase() }]);
  });

  it("gives every verification message its own id and token", async () => {
    const send = vi.spyOn(env.NOTIFICATIONS, "sendBatch");
    await registerUser();
    await registerUser();
    const bodies = send.mock.calls.flatMap((c) => [...c[0]].map((m) => NotificationMessage.parse(m.body)));
    expect(bodies).toHaveLength(2);
    expect(new Set(bodies.map((b) => b.id)).size).toBe(2);
    expect(new Set(bodies.map((b) => (b.data as { token: string }).token)).size).toBe(2);
  });

  it("answers a taken email (in another case) exactly like a new one, and warns the owner instead", async () => {
    const { email, user: owner } = await registerUser();
    const before = await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?").bind(owner.id).first();
    const send = vi.spyOn(env.NOTIFICATIONS, "sendBatch");
    const fresh = await call("POST", "/users", { body: { email: uniqueEmail(), password: PASSWORD, name: "Twin" } });
    const taken = await call("POST", "/users", {
      body: { email: email.toUpperCase(), password: PASSWORD, name: "Twin" },
    });
    expect(taken.status).toBe(fresh.status);
    expect([...taken.headers.keys()].sort()).toEqual([...fresh.headers.keys()].sort());
    expect(taken.headers.get("content-type")).toBe(fresh.headers.get("content-type"));
    expect(await taken.text()).toBe(await fresh.text());

    const types = send.mock.calls.flatMap((c) => [...c[0]].map((m) => NotificationMessage.parse(m.body)));
    expect(types.map((m) => m.type)).toEqual(["user.email_verification", "user.registration_attempt"]);
    expect(types[1]?.userId).toBe(owner.id);
    // The owner's account is untouched: same name, same password hash.
    expect(await userByEmail(email)).toMatchObject({ id: owner.id, name: "Ada Lovelace" });
    const after = await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?").bind(owner.id).first();
    expect(after).toEqual(before);
  });

  it("hashes the password for a taken email too, so timing does not tell", async () => {
    const { email } = await registerUser();
    const derive = vi.spyOn(crypto.subtle, "deriveBits");
    await call("POST", "/users", { body: { email, password: PASSWORD, name: "Twin" } });
    expect(derive).toHaveBeenCalledTimes(1);
    derive.mockClear();
    await call("POST", "/users", { body: { email: uniqueEmail(), password: PASSWORD, name: "Twin" } });
    expect(derive).toHaveBeenCalledTimes(1);
  });

  it.each([["Zoë O'Brien-Smith"], ["J.R.R. Tolkien"], ["李小龍"], ["محمد"], ["अनुष्का"]])(
    "accepts the name %s",
    async (name) => {
      const email = uniqueEmail();
      expect((await call("POST", "/users", { body: { email, password: PASSWORD, name } })).status).toBe(202);
      expect((await userByEmail(email)).name).toBe(name);
    },
  );

  it.each([
    ["a domain", "Claim your refund at evil.example"],
    ["a URL", "https://evil.example"],
    ["an email address", "ada@example.com"],
    ["digits only", "12345"],
    ["digits", "Ada 2"],
    ["a line break", "Ada\nSubject: hi"],
    ["nothing but spaces", "   "],
    ["markup", "<b>Ada</b>"],
  ])("refuses a name with %s: 400 naming name, and no account", async (_what, name) => {
    const email = uniqueEmail();
    const problem = await expectProblem(
      await call("POST", "/users", { body: { email, password: PASSWORD, name } }),
      400,
    );
    expect([...new Set(problem.errors?.map((e) => e.path))]).toEqual(["name"]);
    expect(await env.DB.prepare("SELECT 1 FROM users WHERE email = ?").bind(email).first()).toBeNull();
  });

  it("ignores no field: a client cannot register itself as admin", async () => {
    const res = await call("POST", "/users", {
      body: { email: uniqueEmail(), password: PASSWORD, name: "Mallory", role: "admin" },
    });
    const problem = await expectProblem(res, 400);
    expect(problem.errors).toEqual([{ path: "role", message: "is not a known field" }]);
  });

  it.each([
    ["a missing password", { email: "a@example.com", name: "A" }, "password"],
    ["a short password", { email: "a@example.com", name: "A", password: "short1" }, "password"],
    ["a password without digits", { email: "a@example.com", name: "A", password: "lettersonlyhere" }, "password"],
    ["an invalid email", { email: "not-an-email", name: "A", password: PASSWORD }, "email"],
    ["an over-long name", { email: "a@example.com", name: "n".repeat(101), password: PASSWORD }, "name"],
    [
      "a phone that is not E.164",
      { email: "a@example.com", name: "A", password: PASSWORD, phone: "0170 123" },
      "phone",
    ],
    ["an over-long password", { email: "a@example.com", name: "A", password: `1${"p".repeat(128)}` }, "password"],
  ])("answers 400 naming the field for %s", async (_what, body, field) => {
    const problem = await expectProblem(await call("POST", "/users", { body }), 400);
    expect(problem.code).toBe("validation_failed");
    expect(problem.errors?.map((e) => e.path)).toContain(field);
  });

  it("answers 400 for malformed JSON", async () => {
    const problem = await expectProblem(await call("POST", "/users", { body: '{"email": "a@example.com",' }), 400);
    expect(problem.detail).toMatch(/JSON/);
  });

  it("answers 415 for a body that is not JSON", async () => {
    const res = await call("POST", "/users", {
      body: "email=a@example.com",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect((await expectProblem(res, 415)).code).toBe("unsupported_media_type");
  });

  it("answers 413 for a body over 1 MB", async () => {
    const body = JSON.stringify({ email: "a@example.com", password: PASSWORD, name: "x".repeat(1024 * 1024 + 1) });
    expect((await expectProblem(await call("POST", "/users", { body }), 413)).code).toBe("payload_too_large");
  });
});
