"use client";

import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import dynamic from "next/dynamic";
import { ConvexProviderWithAuth, useConvexAuth, useMutation } from "convex/react";
import { api } from "@/convex/_generated/api";
import { clientAuthMode } from "@/lib/config";
import { convex } from "./convexClient";

// Clerk's code is a large part of a page's JavaScript: only Clerk mode loads it.
const ClerkConvexProvider = dynamic(() => import("./ClerkConvexProvider"));

/** Local sign-in: the token lives in an httpOnly cookie; this endpoint hands it to the Convex client. */
function useLocalAuth(initiallySignedIn: boolean) {
  // The server saw a valid cookie: authenticate right away; a failed token fetch signs out.
  const [state, setState] = useState({ isLoading: false, isAuthenticated: initiallySignedIn });
  const fetchAccessToken = useCallback(async ({ forceRefreshToken }: { forceRefreshToken: boolean }) => {
    const response = await fetch(`/api/auth/local/token${forceRefreshToken ? "?refresh=1" : ""}`, {
      cache: "no-store",
      credentials: "same-origin",
    }).catch(() => null);
    if (!response?.ok) {
      setState({ isLoading: false, isAuthenticated: false });
      return null;
    }
    const { token } = (await response.json()) as { token: string };
    setState({ isLoading: false, isAuthenticated: true });
    return token;
  }, []);
  return useMemo(() => ({ ...state, fetchAccessToken }), [state, fetchAccessToken]);
}

/** Creates the user row on first sign-in (Clerk mode; local sign-in does it server-side too). */
function ViewerSync() {
  const { isAuthenticated } = useConvexAuth();
  const ensureViewer = useMutation(api.users.ensureViewer);
  const done = useRef(false);
  useEffect(() => {
    if (!isAuthenticated || done.current) return;
    done.current = true;
    ensureViewer({}).catch(() => {
      done.current = false;
    });
  }, [isAuthenticated, ensureViewer]);
  return null;
}

export function ConvexClientProvider({ children, signedIn }: { children: ReactNode; signedIn: boolean }) {
  if (convex === null) {
    return (
      <div role="alert" className="m-8 rounded-lg border border-red-300 bg-red-50 p-6 text-red-900">
        NEXT_PUBLIC_CONVEX_URL is not set. Start the app with <code>npm run dev</code>.
      </div>
    );
  }
  if (clientAuthMode() === "clerk") {
    return (
      <ClerkConvexProvider client={convex}>
        <ViewerSync />
        {children}
      </ClerkConvexProvider>
    );
  }
  return <LocalProvider signedIn={signedIn}>{children}</LocalProvider>;
}

function LocalProvider({ children, signedIn }: { children: ReactNode; signedIn: boolean }) {
  const useAuthHook = useCallback(
    function useAuthFromCookie() {
      return useLocalAuth(signedIn);
    },
    [signedIn],
  );
  return (
    <ConvexProviderWithAuth client={convex!} useAuth={useAuthHook}>
      <ViewerSync />
      {children}
    </ConvexProviderWithAuth>
  );
}
