import type { Metadata } from "next";
import { Planned } from "@/components/shell/Planned";

export const metadata: Metadata = { title: "Earnings" };

export default function Page() {
  return (
    <Planned title="Earnings" description="Pending and available earnings from your sessions.">
      Each completed session&apos;s earnings appear here, pending for 24 hours and then available to withdraw.
    </Planned>
  );
}
