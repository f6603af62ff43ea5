"use client";

import { useState, type ComponentProps } from "react";
import dynamic from "next/dynamic";
import { LogOut } from "lucide-react";
import { clientAuthMode } from "@/lib/config";

type Props = Omit<ComponentProps<"button">, "onClick" | "children">;

const ClerkSignOut = dynamic(() => import("./ClerkSignOut"));

function LocalSignOut(props: Props) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      {...props}
      disabled={busy || props.disabled}
      onClick={() => {
        setBusy(true);
        // A full page load drops every client-side cache of the signed-in user.
        void fetch("/api/auth/local/sign-out", { method: "POST" })
          .catch(() => null)
          .then(() => window.location.assign(new URL("/", window.location.href)));
      }}
    >
      <LogOut aria-hidden="true" /> {busy ? "Signing out…" : "Sign out"}
    </button>
  );
}

/** Forwards props so it can sit inside Radix `asChild` slots (menu items). */
export function SignOutButton(props: Props) {
  return clientAuthMode() === "clerk" ? <ClerkSignOut {...props} /> : <LocalSignOut {...props} />;
}
