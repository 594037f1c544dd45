// `npm start`: the whole system on http://localhost:8787 with seeded data.
import { startSystem } from "./system.mjs";

// --stripe-fake: payments talks to the fake Stripe server (packages/testing) instead of the simulator.
const system = await startSystem({
  fresh: process.argv.includes("--fresh"),
  provider: process.argv.includes("--stripe-fake") ? "stripe" : "simulated",
});
const admin = process.env.SHOP_ADMIN_PASSWORD ?? "admin-pass-2026";
const demo = process.env.SHOP_DEMO_PASSWORD ?? "demo-pass-2026";
console.log(`
  Shop at the edge is running.
    storefront      http://localhost:${system.port}/
    API reference   http://localhost:${system.port}/docs
    health          http://localhost:${system.port}/health
    SMS sink        http://localhost:${system.smsPort}/messages
    payments        ${system.stripeUrl ? `fake Stripe at ${system.stripeUrl}` : "simulated provider (--stripe-fake: a fake Stripe server)"}
  Seeded accounts:
    admin           admin@shop.local / ${admin}
    customer        demo@shop.local  / ${demo}
  State: ${system.stateDir} (npm start -- --fresh starts from scratch). Ctrl-C stops everything.
`);
const shutdown = async () => {
  await system.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
system.dev.on("exit", (code) => process.exit(code ?? 1));
