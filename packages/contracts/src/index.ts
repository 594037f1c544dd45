export * from "./auth";
export * from "./checkout";
export * from "./dead-letters";
export * from "./envelope";
export * from "./errors";
export * from "./ids";
export * from "./markets";
export * from "./money";
export * from "./notifications";
export * from "./orders";
export * from "./payments";
export * from "./pricing";
export * from "./products";
export * from "./reconciliation";
export * from "./returns";
export * from "./users";
// The address book (`@shop/contracts/addresses`) is its own entry: its postal-code table
// (postcode-validator) would otherwise land in every worker's bundle.

/** Page sizes are capped everywhere. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
/** Request bodies above this are refused with 413. */
export const MAX_BODY_BYTES = 1024 * 1024;
