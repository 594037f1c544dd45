import { createApp } from "@shop/runtime";
import type { PaymentsApp } from "./env";
import { registerGetPayment } from "./routes/payments/get";
import { registerListPayments } from "./routes/payments/list";
import { registerRefundPayment } from "./routes/payments/refund";
import { registerStripeWebhook, WEBHOOK_PATH } from "./routes/payments/webhook";

export const app = createApp<PaymentsApp>("payments", { rawBodyPaths: [WEBHOOK_PATH] });

app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
  type: "http",
  scheme: "bearer",
  bearerFormat: "JWT",
});

// The webhook is registered before `/payments/{id}` routes so its literal path wins.
registerStripeWebhook(app);
registerListPayments(app);
registerGetPayment(app);
registerRefundPayment(app);

app.doc31("/openapi.json", {
  openapi: "3.1.0",
  info: { title: "Shop payments", version: "1.0.0" },
});
