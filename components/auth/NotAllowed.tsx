import Link from "next/link";
import { ShieldAlert } from "lucide-react";
import { Button } from "@/components/ui/button";

export function NotAllowed({ homeHref = "/" }: { homeHref?: string }) {
  return (
    <div className="mx-auto flex max-w-lg flex-col items-center gap-4 px-4 py-20 text-center" data-testid="not-allowed">
      <ShieldAlert className="size-12 text-amber-500" aria-hidden="true" />
      <h1 className="text-2xl font-semibold">Not allowed</h1>
      <p className="text-slate-600">
        Your account does not have access to this page. If you think it should, contact an administrator.
      </p>
      <Button asChild variant="secondary">
        <Link href={homeHref}>Go to your home page</Link>
      </Button>
    </div>
  );
}
