import Link from "next/link";
import { Compass } from "lucide-react";
import { Button } from "@/components/ui/button";

export default function NotFound() {
  return (
    <div className="mx-auto flex max-w-lg flex-col items-center gap-4 py-20 text-center" data-testid="not-found">
      <Compass className="size-12 text-brand-500" aria-hidden="true" />
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="text-slate-600">The page you are looking for does not exist or has moved.</p>
      <Button asChild variant="secondary">
        <Link href="/">Back to the home page</Link>
      </Button>
    </div>
  );
}
