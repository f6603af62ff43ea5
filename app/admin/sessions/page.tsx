import type { Metadata } from "next";
import { Planned } from "@/components/shell/Planned";

export const metadata: Metadata = { title: "Sessions" };

export default function Page() {
  return (
    <Planned title="Sessions" description="Live and past sessions across the marketplace.">
      Live sessions will update here in real time, with force-end and a timeline per session.
    </Planned>
  );
}
