"use client";

import { useQuery } from "convex/react";
import { format } from "date-fns";
import { Mail } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { EmptyState, LoadingRows } from "@/components/ui/misc";

/** The local email stand-in's inbox: every email the app would have sent, newest first. */
export function DevMailbox() {
  const viewer = useQuery(api.users.viewer, {});
  if (viewer === undefined) return <LoadingRows label="Loading mailbox" />;
  if (viewer?.role !== "admin") {
    return (
      <EmptyState icon={<Mail aria-hidden="true" />} title="Admins only">
        The dev mailbox shows every user&apos;s email, so only an admin can read it. Sign in as the admin (Avery).
      </EmptyState>
    );
  }
  return <AdminMailbox />;
}

function AdminMailbox() {
  const emails = useQuery(api.notifications.devMailbox, {});
  if (emails === undefined) return <LoadingRows label="Loading mailbox" />;
  if (emails.length === 0) {
    return (
      <EmptyState icon={<Mail aria-hidden="true" />} title="No emails yet">
        Payouts, dispute outcomes and advisor approvals send email; they appear here.
      </EmptyState>
    );
  }
  return (
    <ul className="flex flex-col gap-3" data-testid="dev-mailbox">
      {emails.map((m) => (
        <li key={m._id} className="rounded-xl border border-slate-200 bg-white p-4" data-testid="dev-mail">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 className="font-semibold text-slate-900">{m.subject}</h2>
            <time className="text-xs text-slate-500" dateTime={new Date(m.createdAt).toISOString()}>
              {format(m.createdAt, "PPpp")}
            </time>
          </div>
          <p className="text-sm text-slate-600">To: {m.to}</p>
          <pre className="mt-2 whitespace-pre-wrap font-sans text-sm text-slate-800">{m.text}</pre>
        </li>
      ))}
    </ul>
  );
}
