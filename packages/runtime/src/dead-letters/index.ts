export * from "./list";
export * from "./record";
export * from "./replay";
export * from "./table";
