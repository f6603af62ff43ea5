"use client";

import { useState } from "react";
import { useMutation, useQuery } from "convex/react";
import { format } from "date-fns";
import { Download, FileClock, RotateCw } from "lucide-react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { userMessage } from "@/lib/errors";

/**
 * Background CSV exports of margin analytics: any range at any volume (the direct "Export CSV" serves ranges whose
 * advisors fit one report). Progress follows the export live; the file downloads through an admin-only route.
 */
export function MarginExports({ range }: { range: { from: string; to: string; tz: string } }) {
  const exports = useQuery(api.marginExports.list);
  const start = useMutation(api.marginExports.start);
  const resume = useMutation(api.marginExports.resume);
  const [starting, setStarting] = useState(false);
  const [resuming, setResuming] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function onStart() {
    setStarting(true);
    setError(null);
    try {
      await start(range);
    } catch (e) {
      setError(userMessage(e));
    } finally {
      setStarting(false);
    }
  }

  async function onResume(exportId: Id<"marginExports">) {
    setResuming(exportId);
    setError(null);
    try {
      await resume({ exportId });
    } catch (e) {
      setError(userMessage(e));
    } finally {
      setResuming(null);
    }
  }

  return (
    <Card data-testid="margin-exports">
      <CardHeader className="sm:flex-row sm:items-start sm:justify-between">
        <div>
          <CardTitle>Background exports</CardTitle>
          <CardDescription>
            Every advisor and category of {range.from} to {range.to}, built page by page and kept for download for a
            week.
          </CardDescription>
        </div>
        <Button
          variant="secondary"
          onClick={() => void onStart()}
          disabled={starting}
          className="self-start"
          data-testid="margin-export-start"
        >
          <FileClock aria-hidden="true" /> {starting ? "Starting…" : "Export in background"}
        </Button>
      </CardHeader>
      <CardContent className="flex flex-col gap-3">
        {error ? (
          <p role="alert" className="text-sm text-red-600">
            {error}
          </p>
        ) : null}
        {exports === undefined || exports.length === 0 ? (
          <p className="text-sm text-slate-500">No exports yet.</p>
        ) : (
          <ul className="flex flex-col divide-y divide-slate-100 text-sm" aria-live="polite">
            {exports.map((e) => (
              <li
                key={e._id}
                className="flex flex-wrap items-center justify-between gap-2 py-2"
                data-testid="margin-export"
                data-status={e.status}
              >
                <span className="text-slate-700">
                  {e.from} to {e.to} · started {format(e.createdAt, "d MMM, HH:mm")}
                </span>
                {e.status === "done" ? (
                  <span className="inline-flex flex-wrap items-center gap-2">
                    <a
                      href={`/api/admin/billing/margin-analytics/exports/${e._id}`}
                      download={e.fileName}
                      className="inline-flex items-center gap-1 font-medium text-indigo-700 underline"
                      data-testid="margin-export-download"
                    >
                      <Download className="size-4" aria-hidden="true" /> {e.fileName} ({e.csvRows} rows)
                    </a>
                    {e.expiresAt !== null ? (
                      <span className="text-slate-500">kept until {format(e.expiresAt, "d MMM, HH:mm")}</span>
                    ) : null}
                  </span>
                ) : e.status === "expired" ? (
                  <span className="text-slate-500" data-testid="margin-export-expired">
                    Expired{e.expiredAt !== null ? ` on ${format(e.expiredAt, "d MMM")}` : ""}: the file was deleted.
                    Start a new export to download it again.
                  </span>
                ) : e.status === "failed" ? (
                  <span className="inline-flex flex-wrap items-center gap-2">
                    <span className="text-red-600">Failed: {e.error ?? "unknown error"}</span>
                    {e.resumable ? (
                      <Button
                        size="sm"
                        variant="secondary"
                        onClick={() => void onResume(e._id)}
                        disabled={resuming !== null}
                        aria-label={`Resume the export of ${e.from} to ${e.to} from where it stopped`}
                        data-testid="margin-export-resume"
                      >
                        <RotateCw aria-hidden="true" /> {resuming === e._id ? "Resuming…" : "Resume"}
                      </Button>
                    ) : null}
                  </span>
                ) : (
                  <span className="text-slate-600">
                    {e.phase === "file"
                      ? "Writing the file…"
                      : `Reading advisor days: ${e.rowsRead.toLocaleString("en-US")} so far…`}
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
