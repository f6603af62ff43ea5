export * from "./accounts";
export * from "./legs";
export * from "./templates";
export * from "./history";
