"use client";

import type { ReactNode } from "react";
import { ConvexProviderWithAuth, useConvex } from "convex/react";
import { convex } from "./convexClient";

const SIGNED_OUT = { isLoading: false, isAuthenticated: false, fetchAccessToken: async () => null };
function useSignedOut() {
  return SIGNED_OUT;
}

/**
 * Live data for signed-out visitors on the public pages that need it (/advisors, a profile). The root layout
 * gives signed-out visitors no Convex client, so / and /sign-in ship none; signed in, the root's provider is used.
 */
export function VisitorConvexProvider({ children }: { children: ReactNode }) {
  const outer = useConvex();
  if (outer !== undefined || convex === null) return children;
  return (
    <ConvexProviderWithAuth client={convex} useAuth={useSignedOut}>
      {children}
    </ConvexProviderWithAuth>
  );
}
