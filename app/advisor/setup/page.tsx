import type { Metadata } from "next";
import { Planned } from "@/components/shell/Planned";

export const metadata: Metadata = { title: "Advisor profile" };

export default function Page() {
  return (
    <Planned title="Advisor profile" description="Apply to advise, or edit your advisor profile.">
      The onboarding form (profile, rates, categories, photo and verification) opens with advisor onboarding.
    </Planned>
  );
}
