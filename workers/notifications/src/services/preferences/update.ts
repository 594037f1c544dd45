import type { Preferences, UpdatePreferencesBody } from "@shop/contracts";
import type { Database } from "../../db/client";
import { preferences } from "../../db/schema";
import { DEFAULT_PREFERENCES, getPreferences } from "./get";

/**
 * Changes only the fields given (an upsert, so concurrent changes of different fields do not
 * overwrite each other). Transactional email is not a stored choice: the body schema refuses `false`.
 */
export async function updatePreferences(
  db: Database,
  userId: string,
  address: string,
  body: UpdatePreferencesBody,
  now = Date.now(),
): Promise<Preferences> {
  const set: Partial<typeof preferences.$inferInsert> = { updatedAt: now };
  if (body.emailOptional !== undefined) set.emailOptional = body.emailOptional;
  if (body.sms !== undefined) set.sms = body.sms;
  await db
    .insert(preferences)
    .values({ userId, ...DEFAULT_PREFERENCES, ...set, updatedAt: now })
    .onConflictDoUpdate({ target: preferences.userId, set });
  return getPreferences(db, userId, address);
}

/** Turns optional messages off for a user (an "unsubscribe"/"stop" reply). */
export async function unsubscribeOptional(db: Database, userId: string, now = Date.now()): Promise<void> {
  await db
    .insert(preferences)
    .values({ userId, ...DEFAULT_PREFERENCES, emailOptional: false, updatedAt: now })
    .onConflictDoUpdate({ target: preferences.userId, set: { emailOptional: false, updatedAt: now } });
}
