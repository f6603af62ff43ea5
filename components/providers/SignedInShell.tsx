"use client";

import type { ReactNode } from "react";
import { Header, type HeaderViewer } from "@/components/layout/Header";
import { ConvexClientProvider } from "./ConvexClientProvider";
import { LazyToaster } from "./LazyToaster";

/**
 * Everything a signed-in page needs around it: the Convex client, the live header and the toaster. Loaded as its
 * own chunk (LazySignedInShell), so signed-out visitors' pages do not download it.
 */
export default function SignedInShell({
  signedIn,
  viewer,
  replacement,
  children,
}: {
  signedIn: boolean;
  viewer: HeaderViewer;
  replacement: ReactNode;
  children: ReactNode;
}) {
  return (
    <>
      <ConvexClientProvider signedIn={signedIn}>
        {replacement ?? (
          <>
            <Header initialViewer={viewer} />
            <main id="main" className="mx-auto w-full max-w-6xl px-4 py-8">
              {children}
            </main>
          </>
        )}
      </ConvexClientProvider>
      <LazyToaster richColors position="top-center" />
    </>
  );
}
