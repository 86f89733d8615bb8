export * from "./instances";
export * from "./users";
export * from "./auth";
export * from "./activity";
export * from "./v1";
export * from "./admin";
export * from "./servers-actions";
export * from "./invoices";
