import type { CreatePromotionBody, Promotion, PromotionRecord, UpdatePromotionBody } from "@shop/contracts";
import { Conflict, NotFound, newId } from "@shop/runtime";
import { and, desc, eq, inArray, or, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { promotionRedemptions, promotions } from "../../db/schema";
import { forgetPricingData } from "../checkout/pricing-memo";

/** What pricing reads, stored as JSON in `definition`. */
type Definition = Pick<PromotionRecord, "discount" | "target" | "minSubtotal" | "startsAt" | "endsAt" | "exclusive">;
type Row = typeof promotions.$inferSelect;

function toRecord(row: Row): PromotionRecord {
  const d = JSON.parse(row.definition) as Definition;
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    discount: d.discount,
    target: d.target,
    minSubtotal: d.minSubtotal ?? null,
    startsAt: d.startsAt ?? null,
    endsAt: d.endsAt ?? null,
    exclusive: d.exclusive ?? false,
    usageLimit: row.usageLimit,
    perCustomerLimit: row.perCustomerLimit,
    active: row.active,
    uses: row.uses,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function definitionOf(p: PromotionRecord | (CreatePromotionBody & Partial<PromotionRecord>)): string {
  const d: Definition = {
    discount: p.discount,
    target: p.target,
    minSubtotal: p.minSubtotal ?? null,
    startsAt: p.startsAt ?? null,
    endsAt: p.endsAt ?? null,
    exclusive: p.exclusive ?? false,
  };
  return JSON.stringify(d);
}

/** The record as the pure pricing function takes it (ADR 0028 contracts). */
export function toPricingPromotion(p: PromotionRecord): Promotion {
  return {
    id: p.id,
    code: p.code,
    discount:
      p.discount.kind === "percentage"
        ? { kind: "percentage", percentPpm: Math.round(p.discount.percent * 10_000) }
        : { kind: "fixed", amount: p.discount.amount },
    target: p.target,
    ...(p.minSubtotal ? { minSubtotal: p.minSubtotal } : {}),
    ...(p.startsAt ? { startsAt: new Date(p.startsAt) } : {}),
    ...(p.endsAt ? { endsAt: new Date(p.endsAt) } : {}),
    exclusive: p.exclusive,
  };
}

const isUniqueViolation = (err: unknown) =>
  /UNIQUE constraint failed/i.test(`${String(err)} ${String((err as { cause?: unknown })?.cause ?? "")}`);

export async function createPromotion(db: Db, body: CreatePromotionBody): Promise<PromotionRecord> {
  const now = new Date().toISOString();
  const row = {
    id: newId("promotion"),
    code: body.code ?? null,
    name: body.name,
    definition: definitionOf(body),
    usageLimit: body.usageLimit ?? null,
    perCustomerLimit: body.perCustomerLimit ?? null,
    active: body.active ?? true,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await db.insert(promotions).values(row);
  } catch (err) {
    forgetPricingData(); // the write's outcome may be unknown
    if (isUniqueViolation(err))
      throw new Conflict("conflict", `The code ${body.code} is taken by another promotion.`, [
        { path: "code", message: "is taken by another promotion" },
      ]);
    throw err;
  }
  forgetPricingData();
  return toRecord({ ...row, uses: 0 });
}

export async function getPromotion(db: Db, id: string): Promise<PromotionRecord> {
  const row = await db.select().from(promotions).where(eq(promotions.id, id)).get();
  if (!row) throw new NotFound("The promotion");
  return toRecord(row);
}

/**
 * Changes what the admin sent. A usage limit below the uses already claimed is refused (409,
 * naming `usageLimit`): the ledger cannot un-redeem; disable the promotion instead.
 */
export async function updatePromotion(db: Db, id: string, patch: UpdatePromotionBody): Promise<PromotionRecord> {
  const current = await getPromotion(db, id);
  const next: PromotionRecord = { ...current };
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) (next as Record<string, unknown>)[k] = v;
  if (next.startsAt && next.endsAt && Date.parse(next.endsAt) <= Date.parse(next.startsAt))
    throw new Conflict("conflict", "The promotion would end before it starts.", [
      { path: "endsAt", message: "must be after startsAt" },
    ]);
  const updatedAt = new Date().toISOString();
  try {
    await db
      .update(promotions)
      .set({
        name: next.name,
        definition: definitionOf(next),
        usageLimit: next.usageLimit,
        perCustomerLimit: next.perCustomerLimit,
        active: next.active,
        updatedAt,
      })
      .where(eq(promotions.id, id));
  } catch (err) {
    forgetPricingData(); // the write's outcome may be unknown
    if (/CHECK constraint failed/i.test(`${String(err)} ${String((err as { cause?: unknown })?.cause ?? "")}`))
      throw new Conflict(
        "conflict",
        `The promotion has ${current.uses} uses already; the limit cannot go below that.`,
        [{ path: "usageLimit", message: `must be at least ${current.uses}` }],
      );
    throw err;
  }
  forgetPricingData();
  return getPromotion(db, id);
}

export async function listPromotions(db: Db): Promise<PromotionRecord[]> {
  const rows = await db.select().from(promotions).orderBy(desc(promotions.id)).limit(500);
  return rows.map(toRecord);
}

/** Active promotions for pricing: the automatic ones and those whose code was entered. */
export async function offeredPromotions(db: Db, codes: string[]): Promise<PromotionRecord[]> {
  const upper = codes.map((c) => c.toUpperCase());
  const rows = await db
    .select()
    .from(promotions)
    .where(
      and(
        eq(promotions.active, true),
        upper.length
          ? sql`(${promotions.code} IS NULL OR ${inArray(promotions.code, upper)})`
          : sql`${promotions.code} IS NULL`,
      ),
    );
  return rows.map(toRecord);
}

/**
 * Active promotions read as they are now: those whose code was entered, and the given ones by id
 * (the automatic promotions with a usage limit, whose count must not come from a memo).
 */
export async function freshPromotions(db: Db, codes: string[], ids: string[]): Promise<PromotionRecord[]> {
  const upper = codes.map((c) => c.toUpperCase());
  const named = [
    ...(upper.length ? [inArray(promotions.code, upper)] : []),
    ...(ids.length ? [inArray(promotions.id, ids)] : []),
  ];
  if (named.length === 0) return [];
  const rows = await db
    .select()
    .from(promotions)
    .where(and(eq(promotions.active, true), or(...named)));
  return rows.map(toRecord);
}

/**
 * Which of these promotions the customer can no longer use: the total limit reached, or (for a
 * signed-in customer) their own. Read at quote time; the claim at commit is what enforces it.
 */
export async function usedUpPromotions(
  db: Db,
  records: PromotionRecord[],
  customerId: string | null,
): Promise<Set<string>> {
  const usedUp = new Set(records.filter((p) => p.usageLimit !== null && p.uses >= p.usageLimit).map((p) => p.id));
  const perCustomer = records.filter((p) => p.perCustomerLimit !== null && !usedUp.has(p.id));
  if (customerId && perCustomer.length) {
    const counts = await db
      .select({ promotionId: promotionRedemptions.promotionId, n: sql<number>`count(*)` })
      .from(promotionRedemptions)
      .where(
        and(
          inArray(
            promotionRedemptions.promotionId,
            perCustomer.map((p) => p.id),
          ),
          eq(promotionRedemptions.customerId, customerId),
          eq(promotionRedemptions.state, "claimed"),
        ),
      )
      .groupBy(promotionRedemptions.promotionId);
    for (const c of counts) {
      const p = perCustomer.find((x) => x.id === c.promotionId);
      if (p?.perCustomerLimit != null && c.n >= p.perCustomerLimit) usedUp.add(p.id);
    }
  }
  return usedUp;
}
