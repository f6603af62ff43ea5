"use client";

import { useState } from "react";
import { LogOut } from "lucide-react";
import { clientAuthMode } from "@/lib/config";
import { useClerk } from "@clerk/nextjs";

function ClerkSignOut({ className }: { className?: string }) {
  const { signOut } = useClerk();
  return (
    <button type="button" className={className} onClick={() => void signOut({ redirectUrl: "/" })}>
      <LogOut aria-hidden="true" /> Sign out
    </button>
  );
}

function LocalSignOut({ className }: { className?: string }) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className={className}
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        await fetch("/api/auth/local/sign-out", { method: "POST" }).catch(() => null);
        window.location.assign("/");
      }}
    >
      <LogOut aria-hidden="true" /> {busy ? "Signing out…" : "Sign out"}
    </button>
  );
}

export function SignOutButton({ className }: { className?: string }) {
  return clientAuthMode() === "clerk" ? <ClerkSignOut className={className} /> : <LocalSignOut className={className} />;
}
