// Notification tables (issue 10): in-app notifications and outgoing email.
// Owned by the notifications work; spread into convex/schema.ts.
export const notificationTables = {};
