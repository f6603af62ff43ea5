import type { Metadata } from "next";
import { MySessions } from "@/components/sessions/MySessions";
import { PageHeader } from "@/components/ui/misc";

export const metadata: Metadata = { title: "Sessions" };

export default function SessionsPage() {
  return (
    <>
      <PageHeader title="Your sessions" description="Every chat and video session, newest first." />
      <MySessions />
    </>
  );
}
