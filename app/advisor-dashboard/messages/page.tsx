import type { Metadata } from "next";
import { OfflineMessageList } from "@/components/offlineMessages/OfflineMessageList";
import { OfflinePriceSettings } from "@/components/offlineMessages/OfflinePriceSettings";
import { PageHeader } from "@/components/ui/misc";

export const metadata: Metadata = { title: "Messages" };

export default function Page() {
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Messages"
        description="Paid messages clients sent while you were away. Reply within 48 hours to be paid."
      />
      <OfflinePriceSettings />
      <OfflineMessageList as="advisor" />
    </div>
  );
}
