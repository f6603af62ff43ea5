import type { Metadata } from "next";
import { SessionHistory } from "@/components/sessions/SessionHistory";
import { PageHeader } from "@/components/ui/misc";

export const metadata: Metadata = { title: "Your sessions" };

export default function Page() {
  return (
    <>
      <PageHeader
        title="Your sessions"
        description="Every session with a client, newest first, with your share. Open one for its receipt."
      />
      <SessionHistory as="advisor" />
    </>
  );
}
