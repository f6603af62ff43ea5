"use client";

import { useState } from "react";
import Link from "next/link";
import { useMutation, usePaginatedQuery, useQuery } from "convex/react";
import { CheckCircle2, FileText, Inbox, ShieldOff, XCircle } from "lucide-react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Avatar } from "@/components/ui/avatar";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { Input, Label } from "@/components/ui/input";
import { EmptyState, LoadingRows } from "@/components/ui/misc";
import { categoryLabel } from "@/lib/categories";
import { formatRate } from "@/lib/format";
import { formatBps } from "@/lib/money";
import { userMessage } from "@/lib/errors";
import { cn } from "@/lib/cn";
import { documentHref } from "@/lib/uploads";

const TABS = [
  { status: "submitted", label: "Waiting for review" },
  { status: "approved", label: "Approved" },
  { status: "rejected", label: "Rejected" },
  { status: "suspended", label: "Suspended" },
] as const;
type Status = (typeof TABS)[number]["status"];

export function AdvisorReviewQueue() {
  const [status, setStatus] = useState<Status>("submitted");
  const counts = useQuery(api.adminAdvisors.statusCounts);
  const {
    results,
    status: pageStatus,
    loadMore,
  } = usePaginatedQuery(api.adminAdvisors.listByStatus, { status }, { initialNumItems: 10 });

  return (
    <div className="flex flex-col gap-4">
      <div role="tablist" aria-label="Application status" className="-mx-4 flex gap-2 overflow-x-auto px-4">
        {TABS.map((tab) => (
          <button
            key={tab.status}
            role="tab"
            type="button"
            aria-selected={status === tab.status}
            onClick={() => setStatus(tab.status)}
            className={cn(
              "shrink-0 rounded-full border px-4 py-1.5 text-sm font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500",
              status === tab.status
                ? "border-brand-600 bg-brand-600 text-white"
                : "border-slate-200 bg-white text-slate-700 hover:border-brand-300",
            )}
          >
            {tab.label}
            {counts ? <span className="ml-1.5 opacity-80">({counts[tab.status]})</span> : null}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={TABS.find((t) => t.status === status)!.label}>
        {pageStatus === "LoadingFirstPage" ? (
          <LoadingRows rows={3} label="Loading applications" />
        ) : results.length === 0 ? (
          <EmptyState icon={<Inbox />} title={status === "submitted" ? "No applications waiting" : "Nothing here"}>
            {status === "submitted"
              ? "New applications appear here as soon as they are submitted."
              : "No advisor profiles have this status."}
          </EmptyState>
        ) : (
          <ul className="flex flex-col gap-4">
            {results.map((app) => (
              <li key={app._id}>
                <ApplicationCard app={app} />
              </li>
            ))}
          </ul>
        )}
        {pageStatus === "CanLoadMore" ? (
          <Button variant="secondary" className="mt-4" onClick={() => loadMore(10)}>
            Load more
          </Button>
        ) : null}
      </div>
    </div>
  );
}

type App = NonNullable<ReturnType<typeof usePaginatedQuery<typeof api.adminAdvisors.listByStatus>>["results"][number]>;

function ApplicationCard({ app }: { app: App }) {
  const approve = useMutation(api.adminAdvisors.approve);
  const reject = useMutation(api.adminAdvisors.reject);
  const suspend = useMutation(api.adminAdvisors.suspend);
  const reinstate = useMutation(api.adminAdvisors.reinstate);
  const setFee = useMutation(api.adminAdvisors.setFeeBps);
  const [reason, setReason] = useState("");
  const [feePercent, setFeePercent] = useState(String(app.feeBps / 100));
  const [feeReason, setFeeReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const reasonId = `reason-${app._id}`;

  async function run(fn: () => Promise<unknown>, done: string) {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await fn();
      setNotice(done);
    } catch (e) {
      setError(userMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card data-testid="application-card">
      <CardHeader className="flex-row items-start gap-4">
        <Avatar name={app.displayName} src={app.avatarUrl} size={56} />
        <div className="min-w-0 flex-1">
          <h2 className="font-semibold text-slate-900">{app.displayName}</h2>
          <p className="text-sm text-slate-600">{app.headline}</p>
          <p className="truncate text-xs text-slate-500">
            {app.email}
            {app.submittedAt ? ` · submitted ${new Date(app.submittedAt).toLocaleString()}` : ""}
          </p>
        </div>
        {app.status === "approved" ? <Badge tone="success">Fee {formatBps(app.feeBps)}</Badge> : null}
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <p className="whitespace-pre-line text-sm text-slate-700">{app.bio}</p>
        <dl className="grid grid-cols-1 gap-2 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-slate-500">Categories</dt>
            <dd>{app.categories.map(categoryLabel).join(", ")}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Tags</dt>
            <dd>{app.tags.join(", ") || "—"}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Languages</dt>
            <dd>{app.languages.join(", ")}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Experience</dt>
            <dd>{app.yearsExperience} years</dd>
          </div>
          <div>
            <dt className="text-slate-500">Chat</dt>
            <dd>{app.chatRateCentsPerMinute ? formatRate(app.chatRateCentsPerMinute) : "—"}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Video</dt>
            <dd>{app.videoRateCentsPerMinute === null ? "Off" : formatRate(app.videoRateCentsPerMinute)}</dd>
          </div>
        </dl>
        <section aria-label="Verification documents" className="flex flex-col gap-2">
          <h3 className="text-sm font-medium text-slate-800">Verification documents</h3>
          {app.documents.length === 0 ? <p className="text-sm text-slate-500">None uploaded.</p> : null}
          <div className="grid gap-3 sm:grid-cols-2">
            {app.documents.map((d) => (
              <DocumentPreview key={d._id} documentId={d._id} fileName={d.fileName} contentType={d.contentType} />
            ))}
          </div>
        </section>
        {app.statusReason ? (
          <p className="rounded-lg bg-slate-50 p-3 text-sm text-slate-700">Reason given: {app.statusReason}</p>
        ) : null}

        {app.status === "submitted" || app.status === "approved" ? (
          <div className="flex flex-col gap-1.5">
            <Label htmlFor={reasonId}>
              {app.status === "submitted"
                ? "Reason (shown to the applicant if rejected)"
                : "Reason (shown to the advisor if suspended)"}
            </Label>
            <textarea
              id={reasonId}
              rows={2}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              className="w-full rounded-lg border border-slate-300 px-3 py-2 text-sm focus-visible:border-brand-500 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500/30"
            />
          </div>
        ) : null}
        <div className="flex flex-wrap gap-2">
          {app.status === "submitted" ? (
            <>
              <Button
                disabled={busy}
                onClick={() =>
                  void run(() => approve({ profileId: app._id }), "Approved: the applicant is now an advisor.")
                }
              >
                <CheckCircle2 aria-hidden="true" /> Approve
              </Button>
              <Button
                variant="danger"
                disabled={busy}
                onClick={() => void run(() => reject({ profileId: app._id, reason }), "Rejected.")}
              >
                <XCircle aria-hidden="true" /> Reject
              </Button>
            </>
          ) : null}
          {app.status === "approved" ? (
            <>
              <Button
                variant="danger"
                disabled={busy}
                onClick={() => void run(() => suspend({ profileId: app._id, reason }), "Suspended.")}
              >
                <ShieldOff aria-hidden="true" /> Suspend
              </Button>
              <Button variant="secondary" asChild>
                <Link href={`/advisors/${app._id}`}>Public profile</Link>
              </Button>
            </>
          ) : null}
          {app.status === "suspended" ? (
            <Button
              variant="secondary"
              disabled={busy}
              onClick={() => void run(() => reinstate({ profileId: app._id }), "Reinstated.")}
            >
              Reinstate
            </Button>
          ) : null}
        </div>

        {app.status === "approved" ? (
          <form
            className="flex flex-col gap-2 rounded-lg border border-slate-200 p-3 sm:flex-row sm:items-end"
            onSubmit={(e) => {
              e.preventDefault();
              const text = feePercent.trim();
              if (!/^\d{1,2}(\.\d{1,2})?$/.test(text)) {
                setError("Enter the fee as a percentage with at most 2 decimals, e.g. 10 or 12.5.");
                return;
              }
              const [whole, frac = ""] = text.split(".");
              const bps = Number(whole) * 100 + Number(frac.padEnd(2, "0"));
              void run(
                () => setFee({ profileId: app._id, feeBps: bps, reason: feeReason }),
                "Fee updated for new sessions.",
              );
            }}
          >
            <div className="flex flex-col gap-1.5">
              <Label htmlFor={`fee-${app._id}`}>Platform fee (%)</Label>
              <Input
                id={`fee-${app._id}`}
                inputMode="decimal"
                className="w-28"
                value={feePercent}
                onChange={(e) => setFeePercent(e.target.value)}
              />
            </div>
            <div className="flex flex-1 flex-col gap-1.5">
              <Label htmlFor={`fee-reason-${app._id}`}>Reason</Label>
              <Input
                id={`fee-reason-${app._id}`}
                value={feeReason}
                onChange={(e) => setFeeReason(e.target.value)}
                placeholder="e.g. Top advisor programme"
              />
            </div>
            <Button type="submit" variant="secondary" disabled={busy}>
              Set fee
            </Button>
          </form>
        ) : null}
        {error ? (
          <p role="alert" className="text-sm text-red-600">
            {error}
          </p>
        ) : null}
        {notice ? (
          <p role="status" className="text-sm text-emerald-700">
            {notice}
          </p>
        ) : null}
      </CardContent>
    </Card>
  );
}

function DocumentPreview({
  documentId,
  fileName,
  contentType,
}: {
  documentId: Id<"advisorDocuments">;
  fileName: string;
  contentType: string;
}) {
  const href = documentHref(documentId);
  return (
    <figure className="flex flex-col gap-2 rounded-lg border border-slate-200 p-2" data-testid="document-preview">
      {contentType.startsWith("image/") ? (
        // eslint-disable-next-line @next/next/no-img-element -- private, role-checked route
        <img
          src={href}
          alt={`Verification document ${fileName}`}
          className="h-40 w-full rounded object-contain bg-slate-50"
        />
      ) : (
        <div className="flex h-40 w-full items-center justify-center rounded bg-slate-50 text-sm text-slate-500">
          PDF: open it below
        </div>
      )}
      <figcaption className="flex items-center gap-2 text-sm">
        <FileText className="size-4 text-slate-400" aria-hidden="true" />
        <a href={href} target="_blank" rel="noreferrer" className="truncate text-brand-700 hover:underline">
          {fileName}
        </a>
      </figcaption>
    </figure>
  );
}
