import { Conflict, callerOf } from "@shop/runtime";
import { and, eq, gt, lt, sql } from "drizzle-orm";
import { phoneVerifications, users } from "../../db/schema";
import type { UsersContext } from "../../env";
import { PHONE_CODE_MAX_ATTEMPTS, phoneCodeHash } from "./phone-code";
import { refused } from "./refused";

const encoder = new TextEncoder();

/**
 * Checks a phone code. The attempt is counted (one conditional UPDATE) before the code is
 * compared, so parallel guesses cannot exceed 5 between them; an expired or spent code needs a
 * new one. A right code marks the phone verified only if it is still the number the code went
 * to, and deletes the code (single use). Every refusal is a 400 naming `code`.
 */
export async function confirmPhoneCode(ctx: UsersContext, { code }: { code: string }): Promise<void> {
  const { db } = ctx;
  const { userId } = callerOf(ctx);
  const ms = ctx.meta.now;
  const [row] = await db
    .update(phoneVerifications)
    .set({ attempts: sql`${phoneVerifications.attempts} + 1` })
    .where(
      and(
        eq(phoneVerifications.userId, userId),
        lt(phoneVerifications.attempts, PHONE_CODE_MAX_ATTEMPTS),
        gt(phoneVerifications.expiresAt, ms),
      ),
    )
    .returning();
  if (!row)
    throw refused("There is no valid code: it expired, was used up, or was never sent. Ask for a new one.", [
      { path: "code", message: "no valid code; request a new one" },
    ]);
  const expected = encoder.encode(row.codeHash);
  const actual = encoder.encode(await phoneCodeHash(row.salt, code));
  if (!crypto.subtle.timingSafeEqual(actual, expected)) {
    const left = PHONE_CODE_MAX_ATTEMPTS - row.attempts;
    throw refused(left > 0 ? `Wrong code; ${left} attempt(s) left.` : "Wrong code; ask for a new one.", [
      { path: "code", message: "is not the code we sent" },
    ]);
  }
  const at = new Date(ms).toISOString();
  const [verified] = await db.batch([
    db
      .update(users)
      .set({ phoneVerifiedAt: at, updatedAt: at })
      .where(and(eq(users.id, userId), eq(users.phone, row.phone)))
      .returning({ id: users.id }),
    db.delete(phoneVerifications).where(eq(phoneVerifications.userId, userId)),
  ]);
  if (verified.length === 0) throw new Conflict("conflict", "The phone number changed after the code was sent.");
}
