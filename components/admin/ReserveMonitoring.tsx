"use client";

import { useQuery } from "convex/react";
import { api } from "@/convex/_generated/api";
import { Card, CardContent } from "@/components/ui/card";
import { LoadingRows } from "@/components/ui/misc";
import { CurrentReserve } from "./reserve/CurrentReserve";
import { Reconciliation } from "./reserve/Reconciliation";
import { ReserveHistory } from "./reserve/ReserveHistory";
import { ReserveSettingsForm } from "./reserve/ReserveSettingsForm";

/** /admin/billing/reserve-monitoring: the reserve now, its settings, its history and the reconciliation runs. */
export function ReserveMonitoring() {
  const overview = useQuery(api.ops.reserveOverview);
  return (
    <div className="flex flex-col gap-6">
      {overview === undefined ? (
        <Card>
          <CardContent className="pt-5">
            <LoadingRows rows={3} label="Loading the reserve" />
          </CardContent>
        </Card>
      ) : (
        <>
          <CurrentReserve current={overview.current} minimumReserveCents={overview.settings.minimumReserveCents} />
          <ReserveSettingsForm settings={overview.settings} />
          <ReserveHistory history={overview.history} />
        </>
      )}
      <Reconciliation />
    </div>
  );
}
