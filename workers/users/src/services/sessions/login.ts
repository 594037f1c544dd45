import type { LoginBody, TokenPair } from "@shop/contracts";
import { Unauthenticated } from "@shop/runtime";
import { and, eq } from "drizzle-orm";
import { loginClientThrottle, refreshTokens, users } from "../../db/schema";
import type { UsersContext } from "../../env";
import { verifyAgainstDummy, verifyPassword } from "../credentials/password";
import { normalizeEmail } from "../users/public-user";
import { issueTokens } from "./issue-tokens";
import {
  releaseAccountAttemptStatement,
  reserveAttemptStatements,
  retryAfterSeconds,
  tooManyAttempts,
} from "./login-throttle";

/** The same answer for an unknown email and a wrong password: no account enumeration. */
const WRONG_CREDENTIALS = "The email or password is not correct.";

/**
 * Signs a user in. One D1 batch reserves the attempt (per account and client, see
 * login-throttle.ts) and looks the account up; only a reserved attempt reaches the password
 * check, so every attempt counts as a failure until it succeeds. A success clears this
 * client's count, gives the attempt back to the account window and stores the refresh token
 * in a second batch; a failure writes nothing more.
 * `client` is the caller's client key (`clientKeyOf`).
 */
export async function login(ctx: UsersContext, input: LoginBody & { client: string }): Promise<TokenPair> {
  const { db, env } = ctx;
  const { client, ...body } = input;
  const now = ctx.meta.now;
  const account = normalizeEmail(body.email);
  const [takeAccount, takeClient, clientState, accountState] = reserveAttemptStatements(db, { account, client }, now);
  const [[counted], reserved, [clientRow], [accountRow], [user]] = await db.batch([
    takeAccount,
    takeClient,
    clientState,
    accountState,
    db.select().from(users).where(eq(users.email, account)).limit(1),
  ]);
  if (reserved.length === 0 || !counted) {
    throw tooManyAttempts(retryAfterSeconds({ client: clientRow, account: accountRow }, now));
  }

  const ok = user ? await verifyPassword(body.password, user.passwordHash) : await verifyAgainstDummy(body.password);
  if (!user || !ok) throw new Unauthenticated(WRONG_CREDENTIALS);

  const issued = await issueTokens(env, user, now);
  await db.batch([
    releaseAccountAttemptStatement(db, account, counted.windowStart),
    db
      .delete(loginClientThrottle)
      .where(and(eq(loginClientThrottle.account, account), eq(loginClientThrottle.client, client))),
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
