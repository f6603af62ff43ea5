import type { Metadata } from "next";
import { Planned } from "@/components/shell/Planned";

export const metadata: Metadata = { title: "Users" };

export default function Page() {
  return (
    <Planned title="Users" description="Everyone on the platform.">
      Search, role changes and suspensions arrive with the admin console release.
    </Planned>
  );
}
