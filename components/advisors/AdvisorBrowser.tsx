"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useQuery } from "convex/react";
import { SearchX } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { CATEGORIES, isCategorySlug } from "@/lib/categories";
import { cn } from "@/lib/cn";
import { EmptyState, Skeleton } from "@/components/ui/misc";
import { AdvisorCard } from "./AdvisorCard";

export function AdvisorBrowser() {
  const params = useSearchParams();
  const raw = params.get("category");
  const category = raw && isCategorySlug(raw) ? raw : undefined;
  const advisors = useQuery(api.advisorProfiles.listApproved, category ? { category } : {});

  return (
    <div className="flex flex-col gap-6">
      <nav aria-label="Categories" className="-mx-4 flex gap-2 overflow-x-auto px-4 pb-1">
        <FilterLink href="/advisors" active={category === undefined} label="All" />
        {CATEGORIES.map((c) => (
          <FilterLink key={c.slug} href={`/advisors?category=${c.slug}`} active={category === c.slug} label={c.label} />
        ))}
      </nav>
      {advisors === undefined ? (
        <div role="status" aria-label="Loading advisors" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {Array.from({ length: 6 }, (_, i) => (
            <Skeleton key={i} className="h-44" />
          ))}
        </div>
      ) : advisors.length === 0 ? (
        <EmptyState icon={<SearchX />} title="No advisors in this category yet">
          Try another category, or check back soon.
        </EmptyState>
      ) : (
        <>
          <p className="text-sm text-slate-600" aria-live="polite">
            {advisors.filter((a) => a.online).length} online now · {advisors.length} advisors
          </p>
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {advisors.map((advisor) => (
              <AdvisorCard key={advisor._id} advisor={advisor} />
            ))}
          </div>
        </>
      )}
    </div>
  );
}

function FilterLink({ href, active, label }: { href: string; active: boolean; label: string }) {
  return (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className={cn(
        "shrink-0 rounded-full border px-4 py-1.5 text-sm font-medium",
        active ? "border-brand-600 bg-brand-600 text-white" : "border-slate-200 bg-white text-slate-700 hover:border-brand-300",
      )}
    >
      {label}
    </Link>
  );
}
