import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { LazySignedInShell } from "@/components/providers/LazySignedInShell";
import { PublicHeader } from "@/components/layout/HeaderParts";
import { SuspendedAccount } from "@/components/auth/SuspendedAccount";
import { getViewer } from "@/server/auth/server";
import { clientAuthMode } from "@/lib/config";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Advisory — talk to an expert, pay by the second", template: "%s · Advisory" },
  description: "Live chat and video with vetted advisors. Prepaid wallet, billed by the second.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#7c3aed" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const session = await getViewer();
  const viewer = session
    ? {
        name: session.viewer.name,
        email: session.viewer.email,
        role: session.viewer.role,
        avatarUrl: session.viewer.avatarUrl,
      }
    : null;
  const footer = (
    <footer className="border-t border-slate-200 py-6 text-center text-xs text-slate-500">
      Advisory · prepaid, billed by the second · advice is for guidance only
    </footer>
  );
  // Signed-out visitors in local mode (sign-in and sign-out are full page loads there): a server-rendered header and
  // no Convex client, so public pages ship little JavaScript; /advisors and profiles add a visitors' provider.
  // Everyone else gets the signed-in shell, in its own chunk (only what a layout imports ships with its pages).
  if (session === null && clientAuthMode() === "local") {
    return (
      <html lang="en">
        <body className="min-h-dvh">
          <PublicHeader />
          <main id="main" className="mx-auto w-full max-w-6xl px-4 py-8">
            {children}
          </main>
          {footer}
        </body>
      </html>
    );
  }
  return (
    <html lang="en">
      <body className="min-h-dvh">
        <LazySignedInShell
          signedIn={session !== null}
          viewer={viewer}
          replacement={
            session?.viewer.status === "suspended" ? (
              <main id="main" className="mx-auto w-full max-w-6xl px-4 py-8">
                <SuspendedAccount name={session.viewer.name} />
              </main>
            ) : null
          }
        >
          {children}
        </LazySignedInShell>
        {footer}
      </body>
    </html>
  );
}
