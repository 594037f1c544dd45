export * from "./app";
export * from "./auth";
export * from "./context";
export * from "./crypto";
export * from "./cursor";
export * from "./errors";
export * from "./ids";
export * from "./log";
