import { TEST_PAYMENT_METHODS } from "@shop/contracts";
import { newId, randomToken } from "@shop/runtime";
import { and, desc, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import { atomically, rowsOf } from "../../db/batch";
import type { Db } from "../../db/client";
import { simIntents } from "../../db/schema";
import type {
  BatchedConfirm,
  BatchedConfirmInput,
  CancelResult,
  ConfirmInput,
  ConfirmResult,
  IntentState,
  PaymentProvider,
  RefundInput,
  RefundOutcome,
} from "./provider";

/** A simulated gateway event, as the simulator queue carries it to the event-processing path. */
export type SimulatedEvent = {
  id: string;
  type:
    | "payment_intent.succeeded"
    | "payment_intent.payment_failed"
    | "payment_intent.canceled"
    | "payment_intent.processing";
  paymentId: string;
  providerRef: string;
  failureMessage: string | null;
  failureCode?: string | null;
  /** A bank debit settling: move the intent out of `processing` first, then report it. */
  settle?: "succeeded" | "failed";
};

type IntentRow = typeof simIntents.$inferSelect;

/** Stripe's shopper-facing messages for its decline and error codes. */
const STRIPE_MESSAGES: Record<string, string> = {
  card_declined: "Your card was declined.",
  insufficient_funds: "Your card has insufficient funds.",
  expired_card: "Your card has expired.",
  processing_error: "An error occurred while processing your card. Try again in a little bit.",
  payment_intent_authentication_failure:
    "We are unable to authenticate your payment method. Please choose a different payment method and try again.",
  resource_missing: "This payment method could not be used. Please use another one.",
  amount_too_small: "The amount is below the minimum the payment provider accepts.",
  bank_insufficient_funds: "The bank account has insufficient funds to cover this payment.",
};

/** Stripe's minimum charge in the currency's minor units (USD, EUR, GBP and most others: 50). */
const MINIMUM_AMOUNT = 50;
/** How long the simulated bank takes to settle a debit (real ACH: days). */
const BANK_SETTLE_SECONDS = 2;

const declines: Record<string, string> = TEST_PAYMENT_METHODS.declines;
const bankDebits: Record<string, string> = TEST_PAYMENT_METHODS.bankDebits;

function failed(code: string, providerRef: string | null): ConfirmResult {
  return {
    providerRef,
    status: "failed",
    failureCode: code,
    failureMessage: STRIPE_MESSAGES[code] ?? STRIPE_MESSAGES.card_declined ?? null,
    nextActionUrl: null,
  };
}

function stateOf(row: IntentRow): IntentState {
  const status =
    row.status === "canceled"
      ? "cancelled"
      : row.status === "requires_payment_method"
        ? row.failureCode
          ? "failed"
          : "requires_payment"
        : row.status;
  return { providerRef: row.id, status, failureCode: row.failureCode, failureMessage: row.failureMessage };
}

/** The 3-D Secure page for an intent: served by this worker at `/payments/authenticate/{id}`. */
function authenticationUrl(row: Pick<IntentRow, "id" | "clientSecret" | "returnUrl">): string {
  const url = new URL(`/payments/authenticate/${row.id}`, row.returnUrl ?? "http://localhost:8787");
  url.searchParams.set("client_secret", row.clientSecret);
  return url.toString();
}

/**
 * The local default gateway: Stripe's PaymentIntent state machine for Stripe's test payment
 * methods, kept in its own D1 table so cancel, retrieve and search behave as Stripe's do.
 * Answers are synchronous where Stripe's are (card success and declines in create's answer),
 * and Stripe's webhooks are the simulator queue's messages, applied by the same function that
 * applies verified Stripe events. Only used where Stripe is not configured.
 */
export class SimulatedProvider implements PaymentProvider {
  readonly name = "simulated" as const;

  constructor(
    private readonly db: Db,
    private readonly queue: Queue<SimulatedEvent> | undefined,
  ) {}

  private async emit(event: Omit<SimulatedEvent, "id">, delaySeconds = 0): Promise<void> {
    if (!this.queue) throw new Error("the simulated provider has no SIMULATOR queue in this environment");
    await this.queue.send({ id: newId("event"), ...event }, delaySeconds ? { delaySeconds } : undefined);
  }

  async confirm(input: ConfirmInput): Promise<ConfirmResult> {
    const batched = this.confirmInBatch({ ...input, paymentId: sql`${input.paymentId}` });
    return batched.answer(batched.statements.length ? await atomically(this.db, batched.statements) : []);
  }

  /**
   * Create+confirm as two statements for the caller's batch: the intent is inserted (for a
   * payment id that is not NULL) or, by its UNIQUE idempotency key, kept as the first call made
   * it, and read back. Idempotent by key, like Stripe: a retried create finds the first intent.
   */
  confirmInBatch(input: BatchedConfirmInput): BatchedConfirm {
    const pm = input.paymentMethod;
    const declineCode = declines[pm];
    const bank = bankDebits[pm];
    const known =
      (TEST_PAYMENT_METHODS.succeeds as readonly string[]).includes(pm) ||
      (TEST_PAYMENT_METHODS.authenticationRequired as readonly string[]).includes(pm) ||
      declineCode !== undefined ||
      bank !== undefined;
    // Refused before an intent exists, as Stripe refuses them (HTTP 400): permanent.
    if (!known) return answered(failed("resource_missing", null));
    if (input.amount < MINIMUM_AMOUNT) return answered(failed("amount_too_small", null));

    const now = new Date().toISOString();
    const status: IntentRow["status"] = declineCode
      ? "requires_payment_method"
      : bank
        ? "processing"
        : (TEST_PAYMENT_METHODS.authenticationRequired as readonly string[]).includes(pm)
          ? "requires_action"
          : "succeeded";
    const values: Record<keyof IntentRow, unknown> = {
      id: `pi_sim_${randomToken(12)}`,
      paymentId: sql`claim.payment_id`,
      orderId: input.orderId,
      idempotencyKey: input.idempotencyKey,
      amount: input.amount,
      currency: input.currency.toLowerCase(),
      paymentMethod: pm,
      status,
      clientSecret: randomToken(24),
      returnUrl: input.returnUrl,
      failureCode: declineCode ?? null,
      failureMessage: declineCode ? (STRIPE_MESSAGES[declineCode] ?? null) : null,
      createdAt: now,
      updatedAt: now,
    };
    const columns = getTableColumns(simIntents);
    const names = Object.keys(values).map((k) => sql.identifier(columns[k as keyof IntentRow].name));
    const insert = sql`INSERT INTO ${simIntents} (${sql.join(names, sql`, `)})
      SELECT ${sql.join(
        Object.values(values).map((v) => sql`${v}`),
        sql`, `,
      )}
      FROM (SELECT ${input.paymentId} AS payment_id) AS claim WHERE claim.payment_id IS NOT NULL
      ON CONFLICT DO NOTHING RETURNING *`;
    const read = this.db.select().from(simIntents).where(eq(simIntents.idempotencyKey, input.idempotencyKey));
    return {
      statements: [insert, read],
      answer: async ([inserted, found]) => {
        const row = rowsOf(simIntents, found)[0];
        if (!row) throw new Error("simulated intent vanished");
        if (rowsOf(simIntents, inserted).length) await this.followUp(row, status, bank);
        if (row.amount !== input.amount || row.currency !== input.currency.toLowerCase()) {
          return failed("idempotency_error", null);
        }
        return this.originalAnswer(row);
      },
    };
  }

  /** Stripe follows every outcome with a webhook, even when create already said it. */
  private async followUp(row: IntentRow, status: IntentRow["status"], bank: string | undefined): Promise<void> {
    const base = { paymentId: row.paymentId, providerRef: row.id, failureMessage: row.failureMessage };
    if (status === "succeeded") await this.emit({ ...base, type: "payment_intent.succeeded" });
    if (status === "requires_payment_method")
      await this.emit({ ...base, type: "payment_intent.payment_failed", failureCode: row.failureCode });
    if (status === "processing") {
      await this.emit({ ...base, type: "payment_intent.processing" });
      await this.emit(
        {
          ...base,
          type: bank === "succeeds" ? "payment_intent.succeeded" : "payment_intent.payment_failed",
          settle: bank === "succeeds" ? "succeeded" : "failed",
        },
        BANK_SETTLE_SECONDS,
      );
    }
  }

  /** What create answered the first time, replayed for the same key (as Stripe replays). */
  private originalAnswer(row: IntentRow): ConfirmResult {
    const pm = row.paymentMethod;
    const declineCode = declines[pm];
    if (declineCode) return failed(declineCode, row.id);
    if (bankDebits[pm]) {
      return {
        providerRef: row.id,
        status: "processing",
        failureCode: null,
        failureMessage: null,
        nextActionUrl: null,
      };
    }
    if ((TEST_PAYMENT_METHODS.authenticationRequired as readonly string[]).includes(pm)) {
      return {
        providerRef: row.id,
        status: "requires_action",
        failureCode: null,
        failureMessage: null,
        nextActionUrl: authenticationUrl(row),
      };
    }
    return { providerRef: row.id, status: "succeeded", failureCode: null, failureMessage: null, nextActionUrl: null };
  }

  async cancel(providerRef: string): Promise<CancelResult> {
    // Stripe cancels only an intent that has not taken (or started taking) the money.
    const cancelled = await this.db
      .update(simIntents)
      .set({ status: "canceled", updatedAt: new Date().toISOString() })
      .where(
        and(eq(simIntents.id, providerRef), inArray(simIntents.status, ["requires_action", "requires_payment_method"])),
      )
      .returning();
    const row = cancelled[0];
    if (row) {
      await this.emit({
        type: "payment_intent.canceled",
        paymentId: row.paymentId,
        providerRef: row.id,
        failureMessage: null,
      });
      return { status: "cancelled" };
    }
    return { status: (await this.retrieve(providerRef)).status };
  }

  async retrieve(providerRef: string): Promise<IntentState> {
    const row = await this.db.select().from(simIntents).where(eq(simIntents.id, providerRef)).get();
    if (!row) throw new Error(`no such simulated intent: ${providerRef}`);
    return stateOf(row);
  }

  async findByOrder(orderId: string): Promise<IntentState | null> {
    const row = await this.db
      .select()
      .from(simIntents)
      .where(eq(simIntents.orderId, orderId))
      .orderBy(desc(simIntents.createdAt))
      .get();
    return row ? stateOf(row) : null;
  }

  async refund(input: RefundInput): Promise<RefundOutcome> {
    const row = await this.db.select().from(simIntents).where(eq(simIntents.id, input.providerRef)).get();
    if (row?.status !== "succeeded") return { ok: false, message: "This PaymentIntent has not been charged." };
    return { ok: true, providerRef: `re_sim_${input.refundId.slice(4)}` };
  }

  /** What the 3-D Secure page shows, for the holder of the client secret only. */
  async intentForPage(
    providerRef: string,
    clientSecret: string,
  ): Promise<{ status: IntentRow["status"]; amount: number; currency: string } | null> {
    const row = await this.db.select().from(simIntents).where(eq(simIntents.id, providerRef)).get();
    if (!row || !timingSafeEqualText(row.clientSecret, clientSecret)) return null;
    return { status: row.status, amount: row.amount, currency: row.currency };
  }

  /**
   * The shopper's answer on the 3-D Secure page (the client secret proves they hold the intent).
   * Moves the intent once; the outcome reaches payments as a webhook would. Returns where the
   * shopper goes next, or null when the intent or secret is unknown.
   */
  async authenticate(
    providerRef: string,
    clientSecret: string,
    result: "approve" | "fail",
  ): Promise<{ status: IntentState["status"]; returnUrl: string | null } | null> {
    const row = await this.db.select().from(simIntents).where(eq(simIntents.id, providerRef)).get();
    if (!row || !timingSafeEqualText(row.clientSecret, clientSecret)) return null;
    const code = result === "approve" ? null : "payment_intent_authentication_failure";
    const moved = await this.db
      .update(simIntents)
      .set({
        status: result === "approve" ? "succeeded" : "requires_payment_method",
        failureCode: code,
        failureMessage: code ? (STRIPE_MESSAGES[code] ?? null) : null,
        updatedAt: new Date().toISOString(),
      })
      .where(and(eq(simIntents.id, providerRef), eq(simIntents.status, "requires_action")))
      .returning();
    const after = moved[0];
    if (after) {
      await this.emit({
        type: result === "approve" ? "payment_intent.succeeded" : "payment_intent.payment_failed",
        paymentId: after.paymentId,
        providerRef: after.id,
        failureMessage: after.failureMessage,
        failureCode: after.failureCode,
      });
      return { status: stateOf(after).status, returnUrl: after.returnUrl };
    }
    return { status: stateOf(row).status, returnUrl: row.returnUrl };
  }

  /** A bank debit settles: `processing` → succeeded or failed, once. False when it already moved. */
  async settle(providerRef: string, outcome: "succeeded" | "failed"): Promise<boolean> {
    const moved = await this.db
      .update(simIntents)
      .set({
        status: outcome === "succeeded" ? "succeeded" : "requires_payment_method",
        failureCode: outcome === "failed" ? "insufficient_funds" : null,
        failureMessage: outcome === "failed" ? (STRIPE_MESSAGES.bank_insufficient_funds ?? null) : null,
        updatedAt: new Date().toISOString(),
      })
      .where(and(eq(simIntents.id, providerRef), eq(simIntents.status, "processing")))
      .returning();
    return moved.length > 0;
  }
}

/** A confirm the gateway answers without writing anything. */
function answered(result: ConfirmResult): BatchedConfirm {
  return { statements: [], answer: async () => result };
}

/** Constant-time comparison of two secrets (workerd's `timingSafeEqual` needs equal lengths). */
function timingSafeEqualText(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  return x.byteLength === y.byteLength && crypto.subtle.timingSafeEqual(x, y);
}
