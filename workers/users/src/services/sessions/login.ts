import type { LoginBody, TokenPair } from "@shop/contracts";
import { AppError, unauthorized } from "@shop/runtime";
import { and, count, eq, gte, lt, min } from "drizzle-orm";
import type { Db } from "../../db/client";
import { loginFailures, refreshTokens, users } from "../../db/schema";
import type { UsersBindings } from "../../env";
import { verifyAgainstDummy, verifyPassword } from "../credentials/password";
import { normalizeEmail } from "../users/public-user";
import { issueTokens } from "./issue-tokens";
import { LOGIN_FAILURE_WINDOW_MS, retryAfterSeconds } from "./login-throttle";

/** The same answer for an unknown email and a wrong password: no account enumeration. */
const WRONG_CREDENTIALS = "The email or password is not correct.";

/**
 * Signs a user in: throttle check and account lookup in one D1 batch, then the password
 * check, then one more batch (record the failure, or clear failures and store the refresh token).
 * A locked account answers 429 before the password is even looked at.
 */
export async function login(db: Db, env: UsersBindings, body: LoginBody, now = Date.now()): Promise<TokenPair> {
  const email = normalizeEmail(body.email);
  const windowStart = now - LOGIN_FAILURE_WINDOW_MS;
  const [[failures], [user]] = await db.batch([
    db
      .select({ n: count(), oldest: min(loginFailures.failedAt) })
      .from(loginFailures)
      .where(and(eq(loginFailures.email, email), gte(loginFailures.failedAt, windowStart))),
    db.select().from(users).where(eq(users.email, email)).limit(1),
  ]);
  const wait = retryAfterSeconds(failures?.n ?? 0, failures?.oldest ?? null, now);
  if (wait > 0) {
    throw new AppError(429, "rate_limited", "Too many failed sign-in attempts; try again later.", undefined, {
      "retry-after": String(wait),
    });
  }

  const ok = user ? await verifyPassword(body.password, user.passwordHash) : await verifyAgainstDummy(body.password);
  if (!user || !ok) {
    await db.batch([
      db.insert(loginFailures).values({ email, failedAt: now }),
      db.delete(loginFailures).where(and(eq(loginFailures.email, email), lt(loginFailures.failedAt, windowStart))),
    ]);
    throw unauthorized(WRONG_CREDENTIALS);
  }

  const issued = await issueTokens(env, user, now);
  await db.batch([
    db.delete(loginFailures).where(eq(loginFailures.email, email)),
    db.insert(refreshTokens).values({
      tokenHash: issued.refreshHash,
      familyId: crypto.randomUUID(),
      userId: user.id,
      createdAt: now,
      expiresAt: issued.refreshExpiresAt,
    }),
  ]);
  return issued.pair;
}
