"use client";

import type { ReactNode } from "react";
import type { ConvexReactClient } from "convex/react";
import { ConvexProviderWithClerk } from "convex/react-clerk";
import { ClerkProvider, useAuth } from "@clerk/nextjs";

/** Clerk mode only; loaded lazily so the local mode (and its public pages) never ship Clerk's code. */
export default function ClerkConvexProvider({ client, children }: { client: ConvexReactClient; children: ReactNode }) {
  return (
    <ClerkProvider>
      <ConvexProviderWithClerk client={client} useAuth={useAuth}>
        {children}
      </ConvexProviderWithClerk>
    </ClerkProvider>
  );
}
