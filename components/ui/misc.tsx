import type { ComponentProps, ReactNode } from "react";
import type { PaginationStatus } from "convex/react";
import { cn } from "@/lib/cn";
import { Button } from "./button";

export function Skeleton({ className, ...props }: ComponentProps<"div">) {
  return <div aria-hidden="true" className={cn("animate-pulse rounded-md bg-slate-200", className)} {...props} />;
}

export function PageHeader({
  title,
  description,
  actions,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="mb-6 flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
        {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
      </div>
      {actions ? <div className="flex gap-2">{actions}</div> : null}
    </div>
  );
}

export function EmptyState({ icon, title, children }: { icon?: ReactNode; title: string; children?: ReactNode }) {
  return (
    <div className="flex flex-col items-center justify-center gap-2 rounded-xl border border-dashed border-slate-300 bg-white px-6 py-12 text-center">
      {icon ? <div className="text-slate-400 [&_svg]:size-8">{icon}</div> : null}
      <p className="font-medium text-slate-900">{title}</p>
      {children ? <div className="max-w-md text-sm text-slate-600">{children}</div> : null}
    </div>
  );
}

export function LoadingRows({ rows = 3, label = "Loading" }: { rows?: number; label?: string }) {
  return (
    <div role="status" aria-label={label} className="flex flex-col gap-3">
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} className="h-16 w-full" />
      ))}
    </div>
  );
}

/** The "Load more" button under a paginated list; renders nothing once every page is loaded. */
export function LoadMoreButton({
  status,
  onLoadMore,
  label = "Load more",
  size,
  className = "self-center",
}: {
  status: PaginationStatus;
  onLoadMore: () => void;
  label?: string;
  size?: "sm";
  className?: string;
}) {
  if (status !== "CanLoadMore" && status !== "LoadingMore") return null;
  return (
    <Button
      variant="secondary"
      size={size}
      className={className}
      disabled={status === "LoadingMore"}
      onClick={onLoadMore}
    >
      {status === "LoadingMore" ? "Loading…" : label}
    </Button>
  );
}

/**
 * A paginated list of cards: skeleton rows while the first page loads, the empty state when there is nothing, then
 * the items and a "Load more" button while more pages remain.
 */
export function PagedList<Item>({
  results,
  status,
  onLoadMore,
  loadingLabel,
  empty,
  testId,
  children,
}: {
  results: Item[];
  status: PaginationStatus;
  onLoadMore: () => void;
  loadingLabel: string;
  empty: ReactNode;
  testId: string;
  children: (item: Item) => ReactNode;
}) {
  if (status === "LoadingFirstPage") return <LoadingRows label={loadingLabel} />;
  if (results.length === 0) return empty;
  return (
    <div className="flex flex-col gap-3">
      <ul className="flex flex-col gap-3" data-testid={testId}>
        {results.map(children)}
      </ul>
      <LoadMoreButton status={status} onLoadMore={onLoadMore} />
    </div>
  );
}
