import { NotFound } from "@shop/runtime";
import type { PaymentsContext } from "../../env";
import { SimulatedProvider } from "../providers/simulated";
import { paymentProvider } from "./gateway";

/** The simulated bank's 3-D Secure page exists only while the simulated gateway is the provider. */
function simulator(ctx: PaymentsContext): SimulatedProvider {
  const provider = paymentProvider(ctx);
  if (!(provider instanceof SimulatedProvider)) throw new NotFound("The authentication page");
  return provider;
}

/** What the 3-D Secure page shows: the intent the client secret opens. */
export async function authenticationPage(ctx: PaymentsContext, input: { intentId: string; secret: string }) {
  const state = await simulator(ctx).intentForPage(input.intentId, input.secret);
  if (!state) throw new NotFound("The payment to authenticate");
  return state;
}

/** The shopper's answer on that page: the intent succeeds or fails as the bank would report it. */
export async function authenticatePayment(
  ctx: PaymentsContext,
  input: { intentId: string; secret: string; result: "approve" | "fail" },
) {
  const outcome = await simulator(ctx).authenticate(input.intentId, input.secret, input.result);
  if (!outcome) throw new NotFound("The payment to authenticate");
  return outcome;
}
