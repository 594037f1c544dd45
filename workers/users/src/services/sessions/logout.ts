import { sha256Hex } from "@shop/runtime";
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "../../db/client";
import { refreshTokens } from "../../db/schema";

/**
 * Signs out the session a refresh token belongs to by revoking its whole family, in one
 * statement. An unknown token is not an error: logging out is idempotent and reveals nothing.
 */
export async function logout(db: Db, token: string, now = Date.now()): Promise<void> {
  const hash = await sha256Hex(token);
  const family = db
    .select({ familyId: refreshTokens.familyId })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, hash));
  await db
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(inArray(refreshTokens.familyId, family), isNull(refreshTokens.revokedAt)));
}
