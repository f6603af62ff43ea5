import type { Metadata } from "next";
import Link from "next/link";
import { Star } from "lucide-react";
import { PageHeader } from "@/components/ui/misc";
import { Button } from "@/components/ui/button";
import { AdvisorBrowsePage } from "@/components/advisors/AdvisorBrowsePage";

export const metadata: Metadata = { title: "Find an advisor" };

export default function UserAdvisorsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  return (
    <>
      <PageHeader
        title="Find an advisor"
        description="Search, filter and star the advisors you like. Status badges update live."
        actions={
          <Button asChild variant="secondary">
            <Link href="/user-dashboard/favourites">
              <Star aria-hidden="true" /> Favourites
            </Link>
          </Button>
        }
      />
      <AdvisorBrowsePage searchParams={searchParams} />
    </>
  );
}
