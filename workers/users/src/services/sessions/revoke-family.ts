import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client";
import { refreshTokens } from "../../db/schema";

/** Revokes every still-valid token of a sign-in family in one statement. */
export async function revokeFamily(db: Db, familyId: string, now = Date.now()): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}
