import type { Metadata } from "next";
import { AdvisorHome } from "@/components/session/AdvisorHome";
import { PageHeader } from "@/components/ui/misc";

export const metadata: Metadata = { title: "Advisor dashboard" };

export default function Page() {
  return (
    <>
      <PageHeader title="Dashboard" description="Your live session, incoming requests and recent sessions." />
      <AdvisorHome />
    </>
  );
}
