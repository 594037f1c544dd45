// Fault points and D1 meters at the boundaries: no-ops unless the build arms the harness.
export { faultArmed, faultyQueue, injectFault, meterD1, relayFaults } from "@shop/runtime/harness";
export * from "./app";
export * from "./auth";
export * from "./backoff";
export * from "./client-key";
export * from "./context";
export * from "./crypto";
export * from "./cursor";
export * from "./domain-errors";
export * from "./errors";
export * from "./http-rules";
export * from "./ids";
export * from "./key-cache";
export * from "./log";
export * from "./openapi";
export * from "./rate-limit";
export * from "./service-context";
export * from "./token-claims";
