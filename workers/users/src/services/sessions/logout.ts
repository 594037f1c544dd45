import { sha256Hex } from "@shop/runtime";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { refreshTokens } from "../../db/schema";
import type { UsersContext } from "../../env";

/**
 * Signs out the session a refresh token belongs to by revoking its whole family, in one
 * statement. An unknown token is not an error: logging out is idempotent and reveals nothing.
 */
export async function logout(ctx: UsersContext, { token }: { token: string }): Promise<void> {
  const { db } = ctx;
  const hash = await sha256Hex(token);
  const family = db
    .select({ familyId: refreshTokens.familyId })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, hash));
  await db
    .update(refreshTokens)
    .set({ revokedAt: ctx.meta.now })
    .where(and(inArray(refreshTokens.familyId, family), isNull(refreshTokens.revokedAt)));
}
