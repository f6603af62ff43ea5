"use client";

import { useEffect } from "react";
import { useConvexAuth, useMutation, useQuery } from "convex/react";
import { DropdownMenu } from "radix-ui";
import { Check, ChevronDown } from "lucide-react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import { AVAILABILITIES, AVAILABILITY_LABEL, HEARTBEAT_INTERVAL_MS, type Availability } from "@/lib/advisors/rules";
import { userMessage } from "@/lib/errors";
import { AvailabilityDot } from "./AvailabilityBadge";

const HINT: Record<Availability, string> = {
  online: "Clients can start sessions with you",
  busy: "Listed, but not taking sessions",
  offline: "Not taking sessions",
};

/** The advisor's online / busy / offline switch in the header; sends presence heartbeats while open. */
export function AvailabilityToggle() {
  const { isAuthenticated } = useConvexAuth();
  const mine = useQuery(api.presence.mine, isAuthenticated ? {} : "skip");
  const setAvailability = useMutation(api.presence.setAvailability);
  const heartbeat = useMutation(api.presence.heartbeat);
  const active = mine != null && mine.preferred !== "offline";

  useEffect(() => {
    if (!active) return;
    const beat = () => void heartbeat({}).catch(() => undefined);
    beat();
    const timer = setInterval(beat, HEARTBEAT_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [active, heartbeat]);

  if (mine == null) return null;
  const current = mine.availability;
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>
        <button
          type="button"
          className="flex items-center gap-2 rounded-full border border-slate-200 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:border-brand-300 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
          aria-label={`Availability: ${AVAILABILITY_LABEL[current]}${mine.inSession ? " (in a session)" : ""}. Change availability`}
          data-testid="availability-toggle"
          data-availability={current}
        >
          <AvailabilityDot availability={current} className="size-2.5 border-0" />
          <span className="hidden sm:inline">{AVAILABILITY_LABEL[current]}</span>
          <ChevronDown className="size-4 text-slate-500" aria-hidden="true" />
        </button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={8}
          className="z-50 w-64 rounded-xl border border-slate-200 bg-white p-2 shadow-lg"
        >
          <DropdownMenu.Label className="px-2 py-1 text-xs font-medium text-slate-500">Availability</DropdownMenu.Label>
          {mine.inSession ? (
            <p className="px-2 pb-1 text-xs text-amber-700">You are in a session: shown as busy until it ends.</p>
          ) : null}
          <DropdownMenu.RadioGroup
            value={mine.preferred}
            onValueChange={(value) =>
              void setAvailability({ availability: value as Availability }).catch((e: unknown) =>
                toast.error(userMessage(e)),
              )
            }
          >
            {AVAILABILITIES.map((a) => (
              <DropdownMenu.RadioItem
                key={a}
                value={a}
                className="flex cursor-pointer items-start gap-2 rounded-lg px-2 py-2 text-sm outline-none data-[highlighted]:bg-slate-100"
              >
                <AvailabilityDot availability={a} className="mt-1.5 size-2.5 border-0" />
                <span className="flex-1">
                  <span className="block font-medium text-slate-900">{AVAILABILITY_LABEL[a]}</span>
                  <span className="block text-xs text-slate-500">{HINT[a]}</span>
                </span>
                <DropdownMenu.ItemIndicator>
                  <Check className="size-4 text-brand-600" aria-hidden="true" />
                </DropdownMenu.ItemIndicator>
              </DropdownMenu.RadioItem>
            ))}
          </DropdownMenu.RadioGroup>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
