/**
 * Two-digit country calling codes (ITU-T E.164 assignments). With the one-digit zones 1 (North
 * America) and 7 (Russia, Kazakhstan), every other code is three digits, so this set is all the
 * table needed to split a number into its country code.
 */
const TWO_DIGIT = new Set([
  "20",
  "27",
  "30",
  "31",
  "32",
  "33",
  "34",
  "36",
  "39",
  "40",
  "41",
  "43",
  "44",
  "45",
  "46",
  "47",
  "48",
  "49",
  "51",
  "52",
  "53",
  "54",
  "55",
  "56",
  "57",
  "58",
  "60",
  "61",
  "62",
  "63",
  "64",
  "65",
  "66",
  "81",
  "82",
  "84",
  "86",
  "90",
  "91",
  "92",
  "93",
  "94",
  "95",
  "98",
]);

/** "+14155550123" → "+1"; "+447700900123" → "+44"; "+2348012345678" → "+234". */
export function countryCallingCode(e164: string): string {
  const digits = e164.replace(/^\+/, "");
  if (digits.startsWith("1") || digits.startsWith("7")) return `+${digits[0]}`;
  const two = digits.slice(0, 2);
  return TWO_DIGIT.has(two) ? `+${two}` : `+${digits.slice(0, 3)}`;
}
