import { describe, expect, it } from "vitest";
import { createInput, harness, orderId, userId } from "./helpers";

/** Defence in depth (issue 12, item 9): `create` acts for a user and re-checks that user owns the order's payment. */
describe("PaymentsRpc.create re-checks the owner", () => {
  it("refuses a second create for the same order naming another user, and leaves the payment as it was", async () => {
    const h = harness();
    const order = orderId();
    const owner = userId();
    const first = await h.rpc.create(createInput({ orderId: order, userId: owner }));
    await expect(h.rpc.create(createInput({ orderId: order, userId: userId() }))).rejects.toThrow(/another user/);
    const after = await h.rpc.forOrder(order);
    expect(after?.paymentId).toBe(first.paymentId);
    expect(after?.status).toBe(first.status);
    // The owner's retry is still the idempotent replay it always was.
    expect((await h.rpc.create(createInput({ orderId: order, userId: owner }))).paymentId).toBe(first.paymentId);
  });
});
