"use client";

import { useState } from "react";
import Link from "next/link";
import { useQuery } from "convex/react";
import { Popover } from "radix-ui";
import { Bell } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { NotificationList, useMarkAllRead } from "./NotificationList";

/** Header bell: live unread count (announced politely) and a panel with the latest notifications. */
export function NotificationBell() {
  const [open, setOpen] = useState(false);
  const unread = useQuery(api.notifications.unreadCount);
  const items = useQuery(api.notifications.list, open ? { limit: 8 } : "skip");
  const markAllRead = useMarkAllRead();
  const count = unread?.count ?? 0;
  const countLabel = unread?.capped ? `${count}+` : String(count);
  const label = count === 0 ? "Notifications, none unread" : `Notifications, ${countLabel} unread`;

  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger asChild>
        <button
          type="button"
          className="relative inline-flex size-10 items-center justify-center rounded-full text-slate-700 hover:bg-slate-100 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
          aria-label={label}
          data-testid="notification-bell"
        >
          <Bell className="size-5" aria-hidden="true" />
          {count > 0 ? (
            <span
              className="absolute -right-0.5 -top-0.5 min-w-5 rounded-full bg-red-600 px-1 text-center text-[11px] font-semibold leading-5 text-white"
              data-testid="notification-count"
              aria-hidden="true"
            >
              {countLabel}
            </span>
          ) : null}
        </button>
      </Popover.Trigger>
      {/* Announces changes of the unread count to screen readers. */}
      <span className="sr-only" aria-live="polite" aria-atomic="true" data-testid="notification-live">
        {unread === undefined
          ? ""
          : count === 0
            ? "No unread notifications"
            : `${countLabel} unread notification${count === 1 ? "" : "s"}`}
      </span>
      <Popover.Portal>
        <Popover.Content
          align="end"
          sideOffset={8}
          className="z-50 w-96 max-w-[calc(100vw-1rem)] rounded-xl border border-slate-200 bg-white shadow-lg"
          aria-label="Notifications"
          data-testid="notification-panel"
        >
          <div className="flex items-center justify-between border-b border-slate-100 px-3 py-2">
            <h2 className="text-sm font-semibold text-slate-900">Notifications</h2>
            {count > 0 ? (
              <button
                type="button"
                onClick={() => void markAllRead()}
                className="rounded px-2 py-1 text-xs font-medium text-brand-700 hover:bg-brand-50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
              >
                Mark all read
              </button>
            ) : null}
          </div>
          <div className="max-h-96 overflow-y-auto">
            {items === undefined ? (
              <p className="px-3 py-6 text-center text-sm text-slate-500">Loading…</p>
            ) : items.length === 0 ? (
              <p className="px-3 py-6 text-center text-sm text-slate-500">You have no notifications yet.</p>
            ) : (
              <NotificationList items={items} compact onNavigate={() => setOpen(false)} />
            )}
          </div>
          <div className="border-t border-slate-100 px-3 py-2 text-center">
            <Link
              href="/notifications"
              onClick={() => setOpen(false)}
              className="text-sm font-medium text-brand-700 hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
            >
              See all notifications
            </Link>
          </div>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
