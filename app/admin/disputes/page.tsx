import type { Metadata } from "next";
import { Planned } from "@/components/shell/Planned";

export const metadata: Metadata = { title: "Disputes" };

export default function Page() {
  return (
    <Planned title="Disputes" description="Client disputes waiting for a decision.">
      The disputes queue opens with dispute filing: you will filter by status and age and resolve with full, partial or no refund.
    </Planned>
  );
}
