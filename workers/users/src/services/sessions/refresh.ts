import type { TokenPair } from "@shop/contracts";
import { sha256Hex, Unauthenticated } from "@shop/runtime";
import { and, eq, isNull, sql } from "drizzle-orm";
import { refreshTokens, users } from "../../db/schema";
import type { UsersContext } from "../../env";
import { issueTokens } from "./issue-tokens";
import { revokeFamily } from "./revoke-family";

const INVALID = "The refresh token is not valid.";

/**
 * Rotates a refresh token: the presented one is marked replaced and a successor joins its
 * family, atomically in one D1 batch whose insert only happens if this call won the update.
 * A token that was already replaced (a replay, or a lost race) or revoked revokes the whole
 * family: whoever holds a copy of any of its tokens is signed out.
 */
export async function refresh(ctx: UsersContext, { token }: { token: string }): Promise<TokenPair> {
  const { db, env } = ctx;
  const now = ctx.meta.now;
  const hash = await sha256Hex(token);
  const found = await db
    .select({ token: refreshTokens, user: users })
    .from(refreshTokens)
    .innerJoin(users, eq(users.id, refreshTokens.userId))
    .where(eq(refreshTokens.tokenHash, hash))
    .get();
  if (!found) throw new Unauthenticated(INVALID);
  const { token: row, user } = found;
  if (row.replacedBy !== null || row.revokedAt !== null) {
    await revokeFamily(ctx, { familyId: row.familyId });
    throw new Unauthenticated(INVALID);
  }
  if (row.expiresAt <= now) throw new Unauthenticated("The refresh token has expired.");

  const issued = await issueTokens(env, user, now);
  const [, inserted] = await db.batch([
    db
      .update(refreshTokens)
      .set({ replacedBy: issued.refreshHash, rotatedAt: now })
      .where(and(eq(refreshTokens.tokenHash, hash), isNull(refreshTokens.replacedBy), isNull(refreshTokens.revokedAt))),
    db.insert(refreshTokens).select(
      db
        .select({
          tokenHash: sql<string>`${issued.refreshHash}`.as("token_hash"),
          familyId: refreshTokens.familyId,
          userId: refreshTokens.userId,
          createdAt: sql<number>`${now}`.as("created_at"),
          expiresAt: sql<number>`${issued.refreshExpiresAt}`.as("expires_at"),
          replacedBy: sql<null>`NULL`.as("replaced_by"),
          rotatedAt: sql<null>`NULL`.as("rotated_at"),
          revokedAt: sql<null>`NULL`.as("revoked_at"),
        })
        .from(refreshTokens)
        .where(and(eq(refreshTokens.tokenHash, hash), eq(refreshTokens.replacedBy, issued.refreshHash))),
    ),
  ]);
  if (inserted.meta.changes !== 1) {
    // Another request rotated this token between our read and our write: treat it as a replay.
    await revokeFamily(ctx, { familyId: row.familyId });
    throw new Unauthenticated(INVALID);
  }
  return issued.pair;
}
