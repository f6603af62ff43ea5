import { ConvexReactClient } from "convex/react";

const convexUrl = process.env.NEXT_PUBLIC_CONVEX_URL;

/** One client per browser tab, shared by the signed-in provider and the visitors' one (VisitorConvexProvider). */
export const convex = convexUrl ? new ConvexReactClient(convexUrl) : null;
