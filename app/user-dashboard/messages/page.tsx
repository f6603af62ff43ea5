import type { Metadata } from "next";
import { OfflineMessageList } from "@/components/offlineMessages/OfflineMessageList";
import { PageHeader } from "@/components/ui/misc";

export const metadata: Metadata = { title: "Messages" };

export default function Page() {
  return (
    <>
      <PageHeader
        title="Your messages"
        description="Paid messages to advisors who were away. The price is held until they reply; no reply in 48 hours and it comes back in full."
      />
      <OfflineMessageList as="client" />
    </>
  );
}
