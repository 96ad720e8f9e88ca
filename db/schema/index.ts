export * from "./organizations";
export * from "./identity";
export * from "./access";
export * from "./orders";
export * from "./audit";
export * from "./security";
