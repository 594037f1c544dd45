import { exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createInput } from "./helpers";

describe("PaymentsRpc through the real entrypoint and the real simulator queue", () => {
  it("create (a bank debit) → its settlement, queued with a delay, is consumed by this worker → succeeded; bad input is refused", async () => {
    const rpc = exports.PaymentsRpc;
    const created = await rpc.create(createInput({ paymentMethod: "pm_usBankAccount_success" }));
    expect(created.status).toBe("processing");
    await vi.waitFor(async () => expect((await rpc.get(created.paymentId))?.status).toBe("succeeded"), {
      timeout: 10_000,
      interval: 100,
    });
    let error = "";
    try {
      await rpc.create(createInput({ amount: 0 }));
    } catch (err) {
      error = String(err);
    }
    expect(error).toContain("payments.create: invalid amount");
  });
});
