import type { Metadata } from "next";
import { SessionHistory } from "@/components/sessions/SessionHistory";
import { PageHeader } from "@/components/ui/misc";

export const metadata: Metadata = { title: "Sessions" };

export default function SessionsPage() {
  return (
    <>
      <PageHeader
        title="Your sessions"
        description="Every chat and video session, newest first. Open one for its receipt."
      />
      <SessionHistory as="client" />
    </>
  );
}
