/** Types of the fake Stripe core (core.mjs) for TypeScript tests that cannot check its JSDoc (no allowJs). */

export type WireRequest = { method: string; url: string; headers: { get(name: string): string | null }; body: string };
export type WireResponse = { status: number; headers: Record<string, string>; body: string };
export type StripeEvent = { id: string; type: string; data: { object: Record<string, unknown> } } & Record<
  string,
  unknown
>;
export type EventRecord = {
  event: StripeEvent;
  intent: string | null;
  orderId: string | null;
  status: string;
  attempts: { at: string; status: number | string }[];
  delivered: number;
};
export type DeliveryOptions = {
  duplicates: number;
  shuffle: boolean;
  shuffleWindowMs: number;
  delayMs: number;
  drop: ((event: StripeEvent) => boolean) | null;
  dropIntents: string[];
  dropOrders: string[];
  dropTypes: string[];
  retryDelaysMs: number[];
  paused: boolean;
  enabledEvents: string[];
};
export type FakeIntent = {
  id: string;
  status: string;
  amount: number;
  currency: string;
  metadata: Record<string, string>;
  next_action: unknown;
  last_payment_error: unknown;
} & Record<string, unknown>;

export type StripeCoreOptions = {
  baseUrl: string;
  secretKey?: string;
  webhookUrl?: string | null;
  webhookSecret?: string;
  delivery?: Partial<DeliveryOptions>;
  settleMs?: number;
  searchLagMs?: number;
  latencyMs?: number;
  apiVersion?: string;
  fetch?: typeof fetch;
  now?: () => number;
};

export type FakeStripeControl = {
  settle(id: string, result?: "succeeded" | "failed"): FakeIntent;
  authenticate(id: string, result: "approve" | "fail"): FakeIntent;
  force(id: string, status: string, opts?: { silent?: boolean }): FakeIntent;
  setDelivery(
    o: Partial<DeliveryOptions> & { webhookUrl?: string | null },
  ): DeliveryOptions & { webhookUrl: string | null };
  configure(o: { settleMs?: number; searchLagMs?: number; latencyMs?: number }): Record<string, unknown>;
  fail(
    status: number | "hang",
    count?: number,
    path?: string,
  ): { status: number | "hang"; remaining: number; path: string }[];
  resend(id: string): EventRecord | null;
  idle(timeoutMs?: number): Promise<boolean>;
  reset(): void;
};

export type StripeCore = {
  secretKey: string;
  webhookSecret: string;
  intents: Map<string, FakeIntent>;
  refunds: Map<string, Record<string, unknown>>;
  events: EventRecord[];
  control: FakeStripeControl;
  handle(req: WireRequest): Promise<WireResponse | { hang: true }>;
  stop(): void;
};

export const DEFAULT_API_VERSION: string;
export function stripeId(prefix: string): string;
export function createStripeCore(opts: StripeCoreOptions): StripeCore;
