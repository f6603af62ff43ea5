// The Convex app definition: components used by the app.
// The embedded local backend (local/convex-backend) and tests/convex/helpers.ts register the same components.
import { defineApp } from "convex/server";
import rateLimiter from "@convex-dev/rate-limiter/convex.config.js";

const app = defineApp();
app.use(rateLimiter);

export default app;
