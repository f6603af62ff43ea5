"use client";

import { useState, type ReactNode } from "react";
import Link from "next/link";
import { useMutation } from "convex/react";
import { Send } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { Button } from "@/components/ui/button";
import { categoryLabel } from "@/lib/categories";
import { formatRate } from "@/lib/format";
import { userMessage } from "@/lib/errors";
import { type Mine, ServerError } from "./shared";

export function ReviewStep({
  mine,
  onBack,
  onEdit,
}: {
  mine: Mine;
  onBack: () => void;
  onEdit: (step: number) => void;
}) {
  const submit = useMutation(api.advisorApplications.submit);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const canSubmit = mine.status === "draft" || mine.status === "rejected";
  const rows: [string, ReactNode, number][] = [
    ["Display name", mine.displayName, 0],
    ["Headline", mine.headline || "—", 0],
    ["Bio", mine.bio ? `${mine.bio.slice(0, 140)}${mine.bio.length > 140 ? "…" : ""}` : "—", 0],
    ["Categories", mine.categories.map(categoryLabel).join(", ") || "—", 1],
    ["Tags", mine.tags.join(", ") || "—", 1],
    ["Languages", mine.languages.join(", ") || "—", 1],
    ["Experience", `${mine.yearsExperience} years`, 1],
    ["Photo", mine.hasUploadedPhoto ? "Uploaded" : "None", 2],
    ["Chat rate", mine.chatRateCentsPerMinute === null ? "Not set" : formatRate(mine.chatRateCentsPerMinute), 3],
    ["Video rate", mine.videoRateCentsPerMinute === null ? "Off" : formatRate(mine.videoRateCentsPerMinute), 3],
    ["Verification", mine.documents.length > 0 ? `${mine.documents.length} document(s)` : "Missing", 4],
  ];
  return (
    <div className="flex flex-col gap-4">
      <dl className="divide-y divide-slate-100 rounded-lg border border-slate-200 text-sm">
        {rows.map(([label, value, step]) => (
          <div key={label} className="flex flex-col gap-1 p-3 sm:flex-row sm:items-start sm:gap-4">
            <dt className="w-32 shrink-0 text-slate-500">{label}</dt>
            <dd className="min-w-0 flex-1 break-words text-slate-900">{value}</dd>
            {canSubmit ? (
              <Button
                type="button"
                variant="link"
                size="sm"
                className="h-auto self-start p-0"
                onClick={() => onEdit(step)}
                aria-label={`Edit ${label}`}
              >
                Edit
              </Button>
            ) : null}
          </div>
        ))}
      </dl>
      {error ? <ServerError error={error} /> : null}
      {done && mine.status === "submitted" ? (
        <p role="status" className="text-sm text-emerald-700">
          Submitted. We will let you know here once it has been reviewed.
        </p>
      ) : null}
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-between">
        <Button type="button" variant="secondary" onClick={onBack}>
          Back
        </Button>
        {canSubmit ? (
          <Button
            type="button"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              setError(null);
              submit({})
                .then(() => setDone(true))
                .catch((e: unknown) => setError(userMessage(e)))
                .finally(() => setBusy(false));
            }}
          >
            <Send aria-hidden="true" /> {busy ? "Submitting…" : "Submit for review"}
          </Button>
        ) : mine.status === "approved" ? (
          <Button asChild variant="secondary">
            <Link href={`/advisors/${mine._id}`}>View your public profile</Link>
          </Button>
        ) : null}
      </div>
    </div>
  );
}
