"use client";

import Link from "next/link";
import { useMutation } from "convex/react";
import { formatDistanceToNowStrict } from "date-fns";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { userMessage } from "@/lib/errors";
import { cn } from "@/lib/cn";
import { UnfollowFromNotification } from "@/components/queue/UnfollowFromNotification";

export type NotificationItem = {
  _id: Id<"notifications">;
  kind: string;
  title: string;
  body: string;
  href: string | null;
  createdAt: number;
  read: boolean;
};

/** A list of notifications: each links to its page (marking it read); unread ones have a "Mark read" button. */
export function NotificationList({
  items,
  onNavigate,
  compact = false,
}: {
  items: NotificationItem[];
  onNavigate?: () => void;
  compact?: boolean;
}) {
  const markRead = useMutation(api.notifications.markRead);
  const mark = (id: Id<"notifications">) =>
    markRead({ notificationId: id }).catch((error: unknown) => {
      toast.error(userMessage(error));
    });

  return (
    <ul className="divide-y divide-slate-100" data-testid="notification-list">
      {items.map((n) => {
        const content = (
          <>
            <span className="flex items-start gap-2">
              {n.read ? null : <span className="mt-1.5 size-2 shrink-0 rounded-full bg-brand-600" aria-hidden="true" />}
              <span className={cn("text-sm text-slate-900", !n.read && "font-semibold")}>{n.title}</span>
            </span>
            <span className={cn("mt-0.5 block text-sm text-slate-600", compact && "line-clamp-2")}>{n.body}</span>
            <span className="mt-1 block text-xs text-slate-500">
              <time dateTime={new Date(n.createdAt).toISOString()}>
                {formatDistanceToNowStrict(n.createdAt, { addSuffix: true })}
              </time>
              {n.read ? null : <span className="sr-only"> (unread)</span>}
            </span>
          </>
        );
        return (
          <li
            key={n._id}
            className={cn("flex items-start gap-2 px-3 py-2", !n.read && "bg-brand-50/40")}
            data-testid="notification-item"
            data-read={n.read ? "true" : "false"}
          >
            {n.href ? (
              <Link
                href={n.href}
                className="min-w-0 flex-1 rounded outline-none hover:underline focus-visible:ring-2 focus-visible:ring-brand-500"
                onClick={() => {
                  if (!n.read) void mark(n._id);
                  onNavigate?.();
                }}
              >
                {content}
              </Link>
            ) : (
              <div className="min-w-0 flex-1">{content}</div>
            )}
            {n.kind === "advisor_online" ? <UnfollowFromNotification notificationId={n._id} /> : null}
            {n.read ? null : (
              <button
                type="button"
                onClick={() => void mark(n._id)}
                className="shrink-0 rounded px-2 py-1 text-xs font-medium text-brand-700 hover:bg-brand-50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
                aria-label={`Mark "${n.title}" as read`}
              >
                Mark read
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}

export function useMarkAllRead() {
  const markAll = useMutation(api.notifications.markAllRead);
  return () =>
    markAll({}).catch((error: unknown) => {
      toast.error(userMessage(error));
    });
}
