import { and, eq, isNull } from "drizzle-orm";
import { refreshTokens } from "../../db/schema";
import type { UsersContext } from "../../env";

/** Revokes every still-valid token of a sign-in family in one statement. */
export async function revokeFamily(ctx: UsersContext, { familyId }: { familyId: string }): Promise<void> {
  await ctx.db
    .update(refreshTokens)
    .set({ revokedAt: ctx.meta.now })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}
