import type { Preferences } from "@shop/contracts";
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { preferences, undeliverableAddresses } from "../../db/schema";

export type StoredPreferences = { emailOptional: boolean; sms: boolean };

/** Defaults when a user never chose: transactional email, optional email and SMS all on. */
export const DEFAULT_PREFERENCES: StoredPreferences = { emailOptional: true, sms: true };

/** The two reads behind a preferences answer, to be run inside one `db.batch`. */
export function preferenceReads(db: Database, userId: string, address: string) {
  return [
    db.select().from(preferences).where(eq(preferences.userId, userId)),
    db
      .select({ address: undeliverableAddresses.address })
      .from(undeliverableAddresses)
      .where(eq(undeliverableAddresses.address, address.toLowerCase())),
  ] as const;
}

export function toPreferences(prefRows: StoredPreferences[], bounceRows: { address: string }[]): Preferences {
  const stored = prefRows[0] ?? DEFAULT_PREFERENCES;
  return {
    emailTransactional: true,
    emailOptional: stored.emailOptional,
    sms: stored.sms,
    emailStatus: bounceRows.length > 0 ? "undeliverable" : "ok",
  };
}

/**
 * A user's choices plus whether email to `address` still gets through: one D1 round trip.
 * `address` is the caller's current address (from the access token or the contact record).
 */
export async function getPreferences(db: Database, userId: string, address: string): Promise<Preferences> {
  const [prefRows, bounceRows] = await db.batch(preferenceReads(db, userId, address));
  return toPreferences(prefRows, bounceRows);
}
