import { AlertTriangle, CheckCircle2, XCircle } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { RESERVE_STATUS_LABELS, type ReserveStatus } from "@/lib/reserve";

const STATUS_TONE: Record<ReserveStatus, "success" | "warning" | "danger"> = {
  healthy: "success",
  warning: "warning",
  critical: "danger",
};
const STATUS_ICON: Record<ReserveStatus, typeof CheckCircle2> = {
  healthy: CheckCircle2,
  warning: AlertTriangle,
  critical: XCircle,
};

/** Reserve status in colour, icon and words (never colour alone). Its own file so small pages need no charts. */
export function ReserveStatusBadge({ status, className }: { status: ReserveStatus; className?: string }) {
  const Icon = STATUS_ICON[status];
  return (
    <Badge tone={STATUS_TONE[status]} className={className}>
      <Icon className="size-3.5" aria-hidden="true" /> {RESERVE_STATUS_LABELS[status]}
    </Badge>
  );
}
