import { WorkerEntrypoint } from "cloudflare:workers";
import type {
  CallMeta,
  CreatePaymentInput,
  PaymentSummary,
  PaymentsRpc as PaymentsRpcContract,
  RefundResult,
  SettledPaymentPage,
  SettledSinceInput,
} from "@shop/contracts";
import { injectFault, meterD1 } from "@shop/runtime";
import { type PaymentsBindings, type PaymentsContext, paymentsContext } from "./env";
import { cancelPayment } from "./services/payments/cancel";
import { createPayment } from "./services/payments/create";
import { getSummary, getSummaryForOrder } from "./services/payments/get";
import { refundPayment } from "./services/payments/refund";
import { settledSince } from "./services/payments/settled-since";
import { syncPaymentNow } from "./services/payments/sync-payment";

/** Internal RPC surface for `orders`, reachable only through service bindings (entrypoint `PaymentsRpc`). */
export class PaymentsRpc extends WorkerEntrypoint<PaymentsBindings> implements PaymentsRpcContract {
  constructor(ctx: ExecutionContext, env: PaymentsBindings) {
    // Only orders calls this entrypoint, and RPC runs on the caller's machine: where orders is
    // placed next to the data (ADR 0038), so are these calls (the benchmark's `placed` geography).
    super(ctx, meterD1(env, { invokedBy: "rpc" }));
  }

  /** The same services the routes call, with a context for this call (no principal: an internal caller). */
  private context(meta: CallMeta | undefined): PaymentsContext {
    return paymentsContext(this.env, this.ctx, { meta });
  }

  async create(input: CreatePaymentInput, meta?: CallMeta): Promise<PaymentSummary> {
    await injectFault(this.env, "payments.create");
    return createPayment(this.context(meta), input);
  }

  async cancel(paymentId: string, meta?: CallMeta): Promise<PaymentSummary | null> {
    await injectFault(this.env, "payments.cancel");
    return cancelPayment(this.context(meta), { paymentId });
  }

  async refund(
    input: { paymentId: string; amount?: number; reason: string; idempotencyKey: string },
    meta?: CallMeta,
  ): Promise<RefundResult> {
    await injectFault(this.env, "payments.refund");
    return refundPayment(this.context(meta), input);
  }

  async get(paymentId: string, meta?: CallMeta): Promise<PaymentSummary | null> {
    return getSummary(this.context(meta), { paymentId });
  }

  async forOrder(orderId: string, meta?: CallMeta): Promise<PaymentSummary | null> {
    return getSummaryForOrder(this.context(meta), { orderId });
  }

  async settledSince(input: SettledSinceInput, meta?: CallMeta): Promise<SettledPaymentPage> {
    return settledSince(this.context(meta), input);
  }

  async sync(paymentId: string, meta?: CallMeta): Promise<PaymentSummary | null> {
    return syncPaymentNow(this.context(meta), { paymentId });
  }
}
