/**
 * Countries the shop ships to (ISO 3166-1 alpha-2, as `SUPPORTED_COUNTRIES` in the contracts):
 * the checkout's and the address book's country lists.
 */
export const COUNTRIES = [
  ["DE", "Germany"],
  ["AT", "Austria"],
  ["BE", "Belgium"],
  ["CH", "Switzerland"],
  ["ES", "Spain"],
  ["FR", "France"],
  ["GB", "United Kingdom"],
  ["IE", "Ireland"],
  ["IT", "Italy"],
  ["NL", "Netherlands"],
  ["SE", "Sweden"],
  ["US", "United States"],
  ["CA", "Canada"],
  ["AU", "Australia"],
  ["JP", "Japan"],
];

const NAMES = new Map(COUNTRIES);
export const countryName = (code) => NAMES.get(code) ?? code;

/** One saved address on one line: "Ada Lovelace, Unter den Linden 1, 10117 Berlin, Germany". */
export function addressLine(a) {
  return [a.name, a.line1, a.line2, [a.postalCode, a.city].join(" "), a.region, countryName(a.country)]
    .filter(Boolean)
    .join(", ");
}
