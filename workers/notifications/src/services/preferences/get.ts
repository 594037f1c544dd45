import type { Preferences } from "@shop/contracts";
import { callerOf } from "@shop/runtime";
import { eq } from "drizzle-orm";
import { preferences, undeliverableAddresses } from "../../db/schema";
import type { NotificationsContext } from "../../env";

export type StoredPreferences = { emailOptional: boolean; sms: boolean };

/** Defaults when a user never chose: transactional email, optional email and SMS all on. */
export const DEFAULT_PREFERENCES: StoredPreferences = { emailOptional: true, sms: true };

/** The two reads behind a preferences answer, to be run inside one `db.batch`. */
export function preferenceReads(ctx: NotificationsContext, input: { userId: string; address: string }) {
  const { db } = ctx;
  const { userId, address } = input;
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
 * The caller's choices plus whether email to their address (the access token's) still gets
 * through: one D1 round trip.
 */
export async function getPreferences(ctx: NotificationsContext): Promise<Preferences> {
  const { db } = ctx;
  const me = callerOf(ctx);
  const [prefRows, bounceRows] = await db.batch(preferenceReads(ctx, { userId: me.userId, address: me.email }));
  return toPreferences(prefRows, bounceRows);
}
