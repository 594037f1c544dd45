export * from "./core";
export * from "./d1";
export * from "./durable";
export * from "./table";
