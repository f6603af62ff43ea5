export * from "./accounts";
export * from "./legs";
export * from "./templates";
