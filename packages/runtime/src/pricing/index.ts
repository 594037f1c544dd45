export * from "./defaults";
export * from "./errors";
export * from "./price-checkout";
export * from "./promotions";
export * from "./rounding";
export * from "./shipping";
export * from "./tax";
