"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useConvexAuth, useQuery } from "convex/react";
import { Radio } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { STATUS_LABELS } from "@/lib/sessionUtils";

/** "Back to your session" strip under the header while the viewer has a live session elsewhere. */
export function CurrentSessionBanner() {
  const { isAuthenticated } = useConvexAuth();
  const current = useQuery(api.sessions.current, isAuthenticated ? {} : "skip");
  const pathname = usePathname();
  if (!current || pathname.startsWith(`/session/${current._id}`)) return null;
  if (current.status === "requested" && current.role === "advisor") return null; // the ringing card handles it
  return (
    <div className="border-t border-brand-100 bg-brand-50" data-testid="current-session-banner">
      <div className="mx-auto flex max-w-6xl items-center gap-2 px-4 py-2 text-sm text-brand-900">
        <Radio className="size-4 animate-pulse motion-reduce:animate-none" aria-hidden="true" />
        <span className="flex-1">
          {STATUS_LABELS[current.status]} {current.kind} session with {current.counterpartName}.
        </span>
        <Link href={`/session/${current._id}`} className="font-medium underline underline-offset-4">
          Return to session
        </Link>
      </div>
    </div>
  );
}
