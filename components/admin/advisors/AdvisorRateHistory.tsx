"use client";

import { usePaginatedQuery } from "convex/react";
import { History } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState, LoadingRows } from "@/components/ui/misc";
import { formatRate } from "@/lib/format";
import { formatBps } from "@/lib/money";

const when = (ms: number) => new Date(ms).toLocaleString();
const rate = (cents: number | null, channel: string) =>
  cents === null ? (channel === "video" ? "Off" : "Not set") : formatRate(cents);

export function AdvisorRateHistory() {
  const rates = usePaginatedQuery(api.adminAdvisors.listRateChanges, {}, { initialNumItems: 25 });
  const fees = usePaginatedQuery(api.adminAdvisors.listFeeChanges, {}, { initialNumItems: 25 });
  return (
    <div className="flex flex-col gap-6">
      <Card>
        <CardHeader>
          <CardTitle>Rate changes</CardTitle>
          <CardDescription>
            Every change to an advisor&apos;s per-minute rates. New rates apply to new sessions only.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {rates.status === "LoadingFirstPage" ? (
            <LoadingRows rows={3} label="Loading rate changes" />
          ) : rates.results.length === 0 ? (
            <EmptyState icon={<History />} title="No rate changes yet" />
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full min-w-[560px] text-left text-sm" data-testid="rate-changes">
                <thead className="text-slate-500">
                  <tr>
                    <th scope="col" className="py-2 pr-3 font-medium">
                      When
                    </th>
                    <th scope="col" className="py-2 pr-3 font-medium">
                      Advisor
                    </th>
                    <th scope="col" className="py-2 pr-3 font-medium">
                      Channel
                    </th>
                    <th scope="col" className="py-2 pr-3 font-medium">
                      Old
                    </th>
                    <th scope="col" className="py-2 pr-3 font-medium">
                      New
                    </th>
                    <th scope="col" className="py-2 font-medium">
                      Changed by
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {rates.results.map((c) => (
                    <tr key={c._id}>
                      <td className="py-2 pr-3 whitespace-nowrap">{when(c.changedAt)}</td>
                      <td className="py-2 pr-3">{c.advisorName}</td>
                      <td className="py-2 pr-3 capitalize">{c.channel}</td>
                      <td className="py-2 pr-3">{rate(c.oldCents, c.channel)}</td>
                      <td className="py-2 pr-3 font-medium">{rate(c.newCents, c.channel)}</td>
                      <td className="py-2">
                        {c.changedByName}
                        {c.changedByRole === "admin" ? " (admin)" : ""}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {rates.status === "CanLoadMore" ? (
            <Button variant="secondary" className="mt-3" onClick={() => rates.loadMore(25)}>
              Load more
            </Button>
          ) : null}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Platform fee changes</CardTitle>
          <CardDescription>
            Per-advisor fees (default 10%) set on the advisor applications page; effective for new sessions.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {fees.status === "LoadingFirstPage" ? (
            <LoadingRows rows={2} label="Loading fee changes" />
          ) : fees.results.length === 0 ? (
            <EmptyState icon={<History />} title="No fee changes yet">
              Every advisor pays the default 10%.
            </EmptyState>
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full min-w-[560px] text-left text-sm">
                <thead className="text-slate-500">
                  <tr>
                    <th scope="col" className="py-2 pr-3 font-medium">
                      When
                    </th>
                    <th scope="col" className="py-2 pr-3 font-medium">
                      Advisor
                    </th>
                    <th scope="col" className="py-2 pr-3 font-medium">
                      Old
                    </th>
                    <th scope="col" className="py-2 pr-3 font-medium">
                      New
                    </th>
                    <th scope="col" className="py-2 pr-3 font-medium">
                      Reason
                    </th>
                    <th scope="col" className="py-2 font-medium">
                      By
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {fees.results.map((c) => (
                    <tr key={c._id}>
                      <td className="py-2 pr-3 whitespace-nowrap">{when(c.changedAt)}</td>
                      <td className="py-2 pr-3">{c.advisorName}</td>
                      <td className="py-2 pr-3">{formatBps(c.oldBps)}</td>
                      <td className="py-2 pr-3 font-medium">{formatBps(c.newBps)}</td>
                      <td className="py-2 pr-3">{c.reason}</td>
                      <td className="py-2">{c.changedByName}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {fees.status === "CanLoadMore" ? (
            <Button variant="secondary" className="mt-3" onClick={() => fees.loadMore(25)}>
              Load more
            </Button>
          ) : null}
        </CardContent>
      </Card>
    </div>
  );
}
