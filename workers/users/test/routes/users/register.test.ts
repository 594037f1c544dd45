import { env } from "cloudflare:workers";
import { NotificationMessage, type User } from "@shop/contracts";
import { afterEach, describe, expect, it, vi } from "vitest";
import { call, expectProblem, PASSWORD, registerUser, uniqueEmail } from "../../helpers";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("POST /users", () => {
  it("creates a customer, never returns a secret, and announces user.registered", async () => {
    const send = vi.spyOn(env.NOTIFICATIONS, "sendBatch");
    const email = uniqueEmail("New.Person");
    const res = await call("POST", "/users", { body: { email, password: PASSWORD, name: "New Person" } });
    expect(res.status).toBe(201);
    const text = await res.text();
    expect(text).not.toMatch(/pbkdf2|password/i);
    const user = JSON.parse(text) as User;
    expect(user).toMatchObject({ email: email.toLowerCase(), name: "New Person", phone: null, role: "customer" });

    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0]?.[0]).toHaveLength(1);
    const message = NotificationMessage.parse([...(send.mock.calls[0]?.[0] ?? [])][0]?.body);
    expect(message).toMatchObject({
      type: "user.registered",
      version: 1,
      userId: user.id,
      data: { name: "New Person" },
    });
  });

  it("gives every user.registered message its own id", async () => {
    const send = vi.spyOn(env.NOTIFICATIONS, "sendBatch");
    await registerUser();
    await registerUser();
    const ids = send.mock.calls.flatMap((c) => [...c[0]].map((m) => (m.body as { id: string }).id));
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
  });

  it("refuses a second account for the same email in another case with 409", async () => {
    const { email } = await registerUser();
    const send = vi.spyOn(env.NOTIFICATIONS, "sendBatch");
    const res = await call("POST", "/users", {
      body: { email: email.toUpperCase(), password: PASSWORD, name: "Twin" },
    });
    const problem = await expectProblem(res, 409);
    expect(problem.code).toBe("conflict");
    expect(send).not.toHaveBeenCalled();
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
