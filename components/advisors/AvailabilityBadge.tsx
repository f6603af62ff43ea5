import { Badge } from "@/components/ui/badge";
import { AVAILABILITY_LABEL, type Availability } from "@/lib/advisors/rules";
import { cn } from "@/lib/cn";

const TONE = { online: "success", busy: "warning", offline: "neutral" } as const;
const DOT = { online: "bg-emerald-500", busy: "bg-amber-500", offline: "bg-slate-300" } as const;

export function AvailabilityBadge({ availability }: { availability: Availability }) {
  return (
    <Badge tone={TONE[availability]} data-testid="availability-badge" data-availability={availability}>
      <span className={cn("size-1.5 rounded-full", DOT[availability])} aria-hidden="true" />
      {AVAILABILITY_LABEL[availability]}
    </Badge>
  );
}

export function AvailabilityDot({ availability, className }: { availability: Availability; className?: string }) {
  return <span className={cn("rounded-full border-2 border-white", DOT[availability], className)} aria-hidden="true" />;
}
