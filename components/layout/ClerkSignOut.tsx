"use client";

import type { ComponentProps } from "react";
import { LogOut } from "lucide-react";
import { useClerk } from "@clerk/nextjs";

/** Clerk mode only; loaded lazily by SignOutButton so the local mode never ships Clerk's hooks. */
export default function ClerkSignOut(props: Omit<ComponentProps<"button">, "onClick" | "children">) {
  const { signOut } = useClerk();
  return (
    <button type="button" {...props} onClick={() => void signOut({ redirectUrl: "/" })}>
      <LogOut aria-hidden="true" /> Sign out
    </button>
  );
}
