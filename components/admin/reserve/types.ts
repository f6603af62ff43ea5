import type { useQuery } from "convex/react";
import type { api } from "@/convex/_generated/api";

export type Overview = NonNullable<ReturnType<typeof useQuery<typeof api.ops.reserveOverview>>>;
