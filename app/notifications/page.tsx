import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/misc";
import { NotificationsPage } from "@/components/notifications/NotificationsPage";

export const metadata: Metadata = { title: "Notifications" };

export default function Page() {
  return (
    <>
      <PageHeader title="Notifications" description="Session requests, payouts, disputes and account news." />
      <NotificationsPage />
    </>
  );
}
