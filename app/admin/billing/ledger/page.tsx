import type { Metadata } from "next";
import { LedgerExplorer } from "@/components/ledger/LedgerExplorer";
import { PageHeader } from "@/components/ui/misc";
import type { Id } from "@/convex/_generated/dataModel";

export const metadata: Metadata = { title: "Ledger explorer" };

export default async function LedgerExplorerPage({
  searchParams,
}: {
  searchParams: Promise<{ journal?: string | string[] }>;
}) {
  const { journal } = await searchParams;
  // The id is checked server-side by ledger.getJournal (a malformed one shows "Journal not found").
  const initialJournalId =
    typeof journal === "string" && journal.length > 0 && journal.length <= 64 ? (journal as Id<"journals">) : null;
  return (
    <>
      <PageHeader
        title="Ledger explorer"
        description="Every account with its live balance, and every journal with the entries that move money between them."
      />
      <LedgerExplorer initialJournalId={initialJournalId} />
    </>
  );
}
