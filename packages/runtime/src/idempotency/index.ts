export * from "./fingerprint";
export * from "./run";
export * from "./table";
