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
import { database } from "./db/client";
import type { PaymentsEnv } from "./env";
import { cancelPayment } from "./services/payments/cancel";
import { createPayment } from "./services/payments/create";
import { paymentDeps } from "./services/payments/deps";
import { getSummary, getSummaryForOrder } from "./services/payments/get";
import { refundPayment } from "./services/payments/refund";
import { settledSince } from "./services/payments/settled-since";
import { syncPaymentNow } from "./services/payments/sync-payment";

/** Internal RPC surface for `orders`, reachable only through service bindings (entrypoint `PaymentsRpc`). */
export class PaymentsRpc extends WorkerEntrypoint<Env> implements PaymentsRpcContract {
  constructor(ctx: ExecutionContext, env: Env) {
    super(ctx, meterD1(env));
  }

  private get penv(): PaymentsEnv {
    return this.env as PaymentsEnv;
  }

  async create(input: CreatePaymentInput, meta?: CallMeta): Promise<PaymentSummary> {
    await injectFault(this.env, "payments.create");
    return createPayment(paymentDeps(this.penv, meta), input);
  }

  async cancel(paymentId: string, meta?: CallMeta): Promise<PaymentSummary | null> {
    await injectFault(this.env, "payments.cancel");
    return cancelPayment(paymentDeps(this.penv, meta), paymentId);
  }

  async refund(
    input: { paymentId: string; amount?: number; reason: string; idempotencyKey: string },
    meta?: CallMeta,
  ): Promise<RefundResult> {
    await injectFault(this.env, "payments.refund");
    return refundPayment(paymentDeps(this.penv, meta), input);
  }

  async get(paymentId: string, _meta?: CallMeta): Promise<PaymentSummary | null> {
    return getSummary(database(this.penv.DB), paymentId);
  }

  async forOrder(orderId: string, _meta?: CallMeta): Promise<PaymentSummary | null> {
    return getSummaryForOrder(database(this.penv.DB), orderId);
  }

  async settledSince(input: SettledSinceInput, _meta?: CallMeta): Promise<SettledPaymentPage> {
    return settledSince(database(this.penv.DB), input);
  }

  async sync(paymentId: string, meta?: CallMeta): Promise<PaymentSummary | null> {
    return syncPaymentNow(paymentDeps(this.penv, meta), paymentId);
  }
}
