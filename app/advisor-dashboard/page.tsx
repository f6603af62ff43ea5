import type { Metadata } from "next";
import { Planned } from "@/components/shell/Planned";

export const metadata: Metadata = { title: "Advisor dashboard" };

export default function Page() {
  return (
    <Planned title="Advisor dashboard" description="Your sessions, availability and earnings at a glance.">
      Go online, answer session requests and follow today&apos;s earnings here once live sessions open.
    </Planned>
  );
}
