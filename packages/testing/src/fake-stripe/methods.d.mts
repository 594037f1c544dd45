/** Types of methods.mjs for TypeScript tests. */
export type TestMethod = {
  type: "card" | "us_bank_account";
  brand?: string;
  last4: string;
  outcome: "succeeds" | "declines" | "authenticates" | "settles" | "settle_fails";
  code?: string;
  declineCode?: string;
  message?: string;
  param?: string;
};
export const TEST_METHODS: Record<string, TestMethod>;
export const CURRENCY_MINIMUMS: Record<string, { min: number; label: string }>;
export const MANDATE_TYPES: Set<string>;
export const TYPE_CURRENCIES: { us_bank_account: Set<string> };
