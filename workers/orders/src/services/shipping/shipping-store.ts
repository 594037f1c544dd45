import type {
  ShippingMethod,
  ShippingMethodRecord,
  ShippingRate,
  ShippingZone,
  ShippingZoneRecord,
} from "@shop/contracts";
import { Conflict, NotFound, Unprocessable } from "@shop/runtime";
import { and, asc, eq, inArray, ne } from "drizzle-orm";
import type { Db } from "../../db/client";
import { shippingMethods, shippingZoneCountries, shippingZones } from "../../db/schema";
import { forgetPricingData } from "../checkout/pricing-memo";

/**
 * A write to shipping: whatever its outcome, this isolate's checkouts read shipping again
 * (ADR 0037), so the admin who changed a rate is quoted the new one at once.
 */
const written = <T>(write: Promise<T>): Promise<T> => write.finally(forgetPricingData);

/** Every zone with its countries and every method (active or not), for the admin. */
export async function listShipping(db: Db): Promise<{ zones: ShippingZoneRecord[]; methods: ShippingMethodRecord[] }> {
  const [zones, countries, methods] = await db.batch([
    db.select().from(shippingZones).orderBy(asc(shippingZones.id)),
    db.select().from(shippingZoneCountries).orderBy(asc(shippingZoneCountries.country)),
    db.select().from(shippingMethods).orderBy(asc(shippingMethods.zoneId), asc(shippingMethods.position)),
  ]);
  return {
    zones: zones.map((z) => ({
      ...z,
      countries: countries.filter((c) => c.zoneId === z.id).map((c) => c.country),
    })),
    methods: methods.map((m) => ({ ...m, rate: JSON.parse(m.rate) as ShippingRate })),
  };
}

/** Zones and active methods as the pricing function takes them. */
export async function pricingShipping(db: Db): Promise<{ zones: ShippingZone[]; methods: ShippingMethod[] }> {
  const all = await listShipping(db);
  return {
    zones: all.zones.map(({ id, name, countries }) => ({ id, name, countries })).filter((z) => z.countries.length),
    methods: all.methods.filter((m) => m.active).map(({ id, zoneId, name, rate }) => ({ id, zoneId, name, rate })),
  };
}

/**
 * Creates or replaces a zone and its countries. A country already in another zone is refused
 * (409 naming `countries`): a destination must have one answer.
 */
export async function putShippingZone(
  db: Db,
  id: string,
  body: { name: string; countries: string[] },
): Promise<ShippingZoneRecord> {
  const taken = await db
    .select()
    .from(shippingZoneCountries)
    .where(and(inArray(shippingZoneCountries.country, body.countries), ne(shippingZoneCountries.zoneId, id)));
  if (taken.length) {
    const list = taken.map((t) => `${t.country} (${t.zoneId})`).join(", ");
    throw new Conflict("conflict", `Already in another zone: ${list}.`, [
      { path: "countries", message: `already in another zone: ${list}` },
    ]);
  }
  const updatedAt = new Date().toISOString();
  try {
    await written(
      db.batch([
        db
          .insert(shippingZones)
          .values({ id, name: body.name, updatedAt })
          .onConflictDoUpdate({ target: shippingZones.id, set: { name: body.name, updatedAt } }),
        db.delete(shippingZoneCountries).where(eq(shippingZoneCountries.zoneId, id)),
        db.insert(shippingZoneCountries).values(body.countries.map((country) => ({ country, zoneId: id }))),
      ]),
    );
  } catch (err) {
    if (/UNIQUE constraint failed/i.test(`${String(err)} ${String((err as { cause?: unknown }).cause ?? "")}`))
      throw new Conflict("conflict", "A country was just added to another zone.", [
        { path: "countries", message: "already in another zone" },
      ]);
    throw err;
  }
  return { id, name: body.name, countries: [...body.countries].sort(), updatedAt };
}

/** Removes a zone without methods (409 otherwise: remove or move its methods first). */
export async function deleteShippingZone(db: Db, id: string): Promise<void> {
  const zone = await db.select().from(shippingZones).where(eq(shippingZones.id, id)).get();
  if (!zone) throw new NotFound("The shipping zone");
  const method = await db.select().from(shippingMethods).where(eq(shippingMethods.zoneId, id)).get();
  if (method) throw new Conflict("conflict", `The zone still has methods (${method.id}); delete or move them first.`);
  await written(
    db.batch([
      db.delete(shippingZoneCountries).where(eq(shippingZoneCountries.zoneId, id)),
      db.delete(shippingZones).where(eq(shippingZones.id, id)),
    ]),
  );
}

export async function putShippingMethod(
  db: Db,
  id: string,
  body: {
    zoneId: string;
    name: string;
    rate: ShippingRate;
    active?: boolean | undefined;
    position?: number | undefined;
  },
): Promise<ShippingMethodRecord> {
  const zone = await db.select().from(shippingZones).where(eq(shippingZones.id, body.zoneId)).get();
  if (!zone)
    throw new Unprocessable(`No shipping zone ${body.zoneId}.`, [{ path: "zoneId", message: "no such shipping zone" }]);
  if (body.rate.kind === "weight") {
    const bands = body.rate.bands.map((b) => b.upToGrams);
    if (bands.some((g, i) => i > 0 && g <= (bands[i - 1] as number)))
      throw new Unprocessable("Weight bands must grow.", [
        { path: "rate.bands", message: "upToGrams must increase from band to band" },
      ]);
  }
  const row = {
    id,
    zoneId: body.zoneId,
    name: body.name,
    rate: JSON.stringify(body.rate),
    active: body.active ?? true,
    position: body.position ?? 0,
    updatedAt: new Date().toISOString(),
  };
  const { id: _id, ...set } = row;
  await written(db.insert(shippingMethods).values(row).onConflictDoUpdate({ target: shippingMethods.id, set }));
  return { ...row, rate: body.rate };
}

export async function deleteShippingMethod(db: Db, id: string): Promise<void> {
  const gone = await written(
    db.delete(shippingMethods).where(eq(shippingMethods.id, id)).returning({ id: shippingMethods.id }),
  );
  if (!gone.length) throw new NotFound("The shipping method");
}
