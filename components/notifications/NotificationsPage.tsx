"use client";

import { useQuery } from "convex/react";
import { Bell } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { Button } from "@/components/ui/button";
import { EmptyState, LoadingRows } from "@/components/ui/misc";
import { NotificationList, useMarkAllRead } from "./NotificationList";

/** The full notification centre at /notifications (latest 50). */
export function NotificationsPage() {
  const items = useQuery(api.notifications.list, { limit: 50 });
  const unread = useQuery(api.notifications.unreadCount);
  const markAllRead = useMarkAllRead();
  if (items === undefined || unread === undefined) return <LoadingRows label="Loading notifications" />;
  if (items.length === 0) {
    return (
      <EmptyState icon={<Bell aria-hidden="true" />} title="No notifications yet">
        Session requests, payouts, disputes and account news will show up here.
      </EmptyState>
    );
  }
  return (
    <section aria-label="Notifications" className="rounded-xl border border-slate-200 bg-white">
      <div className="flex items-center justify-between border-b border-slate-100 px-3 py-2">
        <p className="text-sm text-slate-600">
          {unread.count > 0 ? `${unread.capped ? `${unread.count}+` : unread.count} unread` : "All caught up"}
        </p>
        {unread.count > 0 ? (
          <Button variant="secondary" size="sm" onClick={() => void markAllRead()}>
            Mark all read
          </Button>
        ) : null}
      </div>
      <NotificationList items={items} />
    </section>
  );
}
