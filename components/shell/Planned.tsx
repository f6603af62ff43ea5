import type { ReactNode } from "react";
import { Construction } from "lucide-react";
import { EmptyState, PageHeader } from "@/components/ui/misc";

/** A page whose feature lands in a later release: says plainly what will be here. */
export function Planned({ title, description, children }: { title: string; description: string; children: ReactNode }) {
  return (
    <>
      <PageHeader title={title} description={description} />
      <EmptyState icon={<Construction />} title="Nothing here yet">
        {children}
      </EmptyState>
    </>
  );
}
