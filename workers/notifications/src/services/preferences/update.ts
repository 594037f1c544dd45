import type { Preferences, UpdatePreferencesBody } from "@shop/contracts";
import { callerOf } from "@shop/runtime";
import { preferences } from "../../db/schema";
import type { NotificationsContext } from "../../env";
import { DEFAULT_PREFERENCES, preferenceReads, toPreferences } from "./get";

/**
 * Changes only the fields given (an upsert, so concurrent changes of different fields do not
 * overwrite each other) and reads the caller's result back in the same round trip.
 * Transactional email is not a stored choice: the body schema refuses `false`.
 */
export async function updatePreferences(ctx: NotificationsContext, body: UpdatePreferencesBody): Promise<Preferences> {
  const { db } = ctx;
  const { userId, email } = callerOf(ctx);
  const now = ctx.meta.now;
  const set: Partial<typeof preferences.$inferInsert> = { updatedAt: now };
  if (body.emailOptional !== undefined) set.emailOptional = body.emailOptional;
  if (body.sms !== undefined) set.sms = body.sms;
  const [, prefRows, bounceRows] = await db.batch([
    db
      .insert(preferences)
      .values({ userId, ...DEFAULT_PREFERENCES, ...set, updatedAt: now })
      .onConflictDoUpdate({ target: preferences.userId, set }),
    ...preferenceReads(ctx, { userId, address: email }),
  ]);
  return toPreferences(prefRows, bounceRows);
}

/** Turns optional messages off for a user (an "unsubscribe"/"stop" reply). */
export async function unsubscribeOptional(ctx: NotificationsContext, input: { userId: string }): Promise<void> {
  const { userId } = input;
  const { now } = ctx.meta;
  await ctx.db
    .insert(preferences)
    .values({ userId, ...DEFAULT_PREFERENCES, emailOptional: false, updatedAt: now })
    .onConflictDoUpdate({ target: preferences.userId, set: { emailOptional: false, updatedAt: now } });
}
