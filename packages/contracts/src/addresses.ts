import { postcodeValidator } from "postcode-validator";
import { z } from "zod";
import { idSchema } from "./ids";
import { E164Phone } from "./users";

/**
 * A customer's address book (`/users/me/addresses`): saved addresses, validated per country,
 * one of them at most the default shipping address. The checkout page offers them and copies
 * the chosen one into the order's `ShippingAddress` (which it still sends as before).
 */

export const AddressId = idSchema("address");

/**
 * Countries the shop ships to (ISO 3166-1 alpha-2). Postal codes are checked with
 * `postcode-validator` (one regular expression per country, no I/O), so adding a country here
 * is enough as long as that library knows it (a test walks this list).
 */
export const SUPPORTED_COUNTRIES = [
  "AT",
  "AU",
  "BE",
  "CA",
  "CH",
  "DE",
  "ES",
  "FR",
  "GB",
  "IE",
  "IT",
  "JP",
  "NL",
  "SE",
  "US",
] as const;
export const AddressCountry = z.enum(SUPPORTED_COUNTRIES).meta({ example: "DE" });
export type AddressCountry = z.infer<typeof AddressCountry>;

/** US states, DC and the territories with USPS codes: `region` is required there. */
export const US_STATES = new Set(
  (
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC " +
    "ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC AS GU MP PR VI AA AE AP"
  ).split(" "),
);
/** Canadian provinces and territories: `region` is required there too. */
export const CA_PROVINCES = new Set("AB BC MB NB NL NS NT NU ON PE QC SK YT".split(" "));
const REGION_CODES: Partial<Record<AddressCountry, { set: Set<string>; what: string }>> = {
  US: { set: US_STATES, what: "a US state code, e.g. CA" },
  CA: { set: CA_PROVINCES, what: "a Canadian province code, e.g. ON" },
};

/** At most this many saved addresses per customer. */
export const MAX_ADDRESSES = 20;

const AddressFieldsShape = {
  name: z.string().trim().min(1).max(100).meta({ example: "Ada Lovelace" }),
  line1: z.string().trim().min(1).max(200).meta({ example: "Unter den Linden 1" }),
  line2: z.string().trim().max(200).nullable().optional(),
  city: z.string().trim().min(1).max(100).meta({ example: "Berlin" }),
  /** State, province or county; required (as a code) for US and CA. */
  region: z.string().trim().toUpperCase().max(100).nullable().optional(),
  postalCode: z.string().trim().toUpperCase().min(1).max(20).meta({ example: "10117" }),
  country: AddressCountry,
  phone: E164Phone.nullable().optional(),
};

/** The fields the per-country rules read. */
export type AddressForCountry = { country: AddressCountry; postalCode: string; region?: string | null };

/**
 * What is wrong with an address for its country: the postal code against the country's pattern,
 * and the region (a state or province code where one is required). Empty when it is fine.
 * Used by the request schema and again by an edit, on the stored address merged with the change.
 */
export function addressFieldErrors(a: AddressForCountry): { path: "postalCode" | "region"; message: string }[] {
  const errors: { path: "postalCode" | "region"; message: string }[] = [];
  if (!postcodeValidator(a.postalCode, a.country)) {
    errors.push({ path: "postalCode", message: `is not a valid postal code for ${a.country}` });
  }
  const region = REGION_CODES[a.country];
  if (region && !(a.region && region.set.has(a.region))) {
    errors.push({ path: "region", message: `must be ${region.what}` });
  }
  return errors;
}

const withCountryRules = <T extends Partial<AddressForCountry>>(value: T, ctx: z.RefinementCtx) => {
  if (value.country === undefined || value.postalCode === undefined) return;
  for (const e of addressFieldErrors(value as AddressForCountry)) {
    ctx.addIssue({ code: "custom", path: [e.path], message: e.message });
  }
};

/** `POST /users/me/addresses`. `isDefaultShipping: true` makes it the default (and no other). */
export const AddressBody = z
  .object({ ...AddressFieldsShape, isDefaultShipping: z.boolean().optional() })
  .strict()
  .superRefine(withCountryRules)
  .meta({ id: "AddressBody" });
export type AddressBody = z.infer<typeof AddressBody>;

/**
 * `PATCH /users/me/addresses/{id}`: the fields to set (absolute values, so a repeat is
 * harmless); `null` clears an optional one. The merged address is checked for its country.
 * `isDefaultShipping: false` on the default leaves no default.
 */
export const AddressPatch = z
  .object({
    name: AddressFieldsShape.name.optional(),
    line1: AddressFieldsShape.line1.optional(),
    line2: AddressFieldsShape.line2,
    city: AddressFieldsShape.city.optional(),
    region: AddressFieldsShape.region,
    postalCode: AddressFieldsShape.postalCode.optional(),
    country: AddressCountry.optional(),
    phone: AddressFieldsShape.phone,
    isDefaultShipping: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, "send at least one field")
  .meta({ id: "AddressPatch" });
export type AddressPatch = z.infer<typeof AddressPatch>;

export const Address = z
  .object({
    id: AddressId,
    name: z.string(),
    line1: z.string(),
    line2: z.string().nullable(),
    city: z.string(),
    region: z.string().nullable(),
    postalCode: z.string(),
    country: AddressCountry,
    phone: z.string().nullable(),
    isDefaultShipping: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "Address" });
export type Address = z.infer<typeof Address>;

/** The caller's addresses: the default first, then oldest first. */
export const AddressList = z.object({ items: z.array(Address) }).meta({ id: "AddressList" });
export type AddressList = z.infer<typeof AddressList>;

export const AddressIdParams = z.object({ id: AddressId });
