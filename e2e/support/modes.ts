import { afterAll, beforeAll, describe, inject } from "vitest";

/**
 * The payment provider modes a run covers. Global setup starts one whole system per mode; a
 * checkout suite runs once against each (`describeEachMode`), every helper following the mode
 * the running suite chose.
 */
export type PaymentMode = "simulated" | "stripe";

export type SystemInfo = {
  url: string;
  smsUrl: string;
  stateDir: string;
  /** The fake Stripe server of a Stripe-mode system (its `/__fake/…` control API), else null. */
  stripeUrl: string | null;
  /** PAYMENT_DEADLINE_SECONDS of that system's orders. */
  deadlineSeconds: number;
  /** Where local send_email writes (under the gateway's folder of the tree it runs from); default this checkout's. */
  emailDir?: string;
};

export const paymentModes = (): PaymentMode[] => Object.keys(inject("systems")) as PaymentMode[];

let current: PaymentMode | undefined;

/** Points every helper (HTTP calls, admin token, SMS sink) at the system running `mode`. */
export function useMode(mode: PaymentMode): void {
  current = mode;
}

export function currentMode(): PaymentMode {
  const mode = current ?? paymentModes()[0];
  if (!mode) throw new Error("no system was started");
  return mode;
}

export function currentSystem(): SystemInfo {
  const mode = currentMode();
  const system = inject("systems")[mode];
  if (!system) throw new Error(`no ${mode} system in this run (E2E_PAYMENT_MODES)`);
  return system;
}

/** `describe` once per payment mode of this run, e.g. "checkout [stripe]". */
export function describeEachMode(name: string, body: (mode: PaymentMode) => void): void {
  describe.each(paymentModes())(`${name} [%s]`, (mode) => {
    beforeAll(() => useMode(mode));
    // Suites after this one (not per mode) are back on the first system.
    afterAll(() => {
      current = undefined;
    });
    body(mode);
  });
}
