// Billing operations tables (issue 10): reconciliation runs and reserve monitoring.
// Owned by the reserve/reconciliation work; spread into convex/schema.ts.
export const opsTables = {};
