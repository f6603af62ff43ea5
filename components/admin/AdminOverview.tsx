"use client";

import Link from "next/link";
import { useQuery } from "convex/react";
import { Activity, Headphones, UserCheck, Users } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { Skeleton } from "@/components/ui/misc";

export function AdminOverview() {
  const data = useQuery(api.admin.overview);
  const tiles = [
    { label: "Active sessions", value: data?.activeSessions, href: "/admin/sessions", icon: Activity },
    { label: "Advisors online", value: data?.advisorsOnline, href: "/admin/users", icon: Headphones },
    { label: "Advisors", value: data?.advisors, href: "/admin/users", icon: UserCheck },
    { label: "Clients", value: data?.clients, href: "/admin/users", icon: Users },
  ];
  return (
    <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
      {tiles.map(({ label, value, href, icon: Icon }) => (
        <Link
          key={label}
          href={href}
          className="flex items-center gap-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm hover:border-brand-200"
        >
          <Icon className="size-8 text-brand-600" aria-hidden="true" />
          <div>
            <p className="text-sm text-slate-500">{label}</p>
            {value === undefined ? <Skeleton className="mt-1 h-7 w-12" /> : <p className="text-2xl font-semibold">{value}</p>}
          </div>
        </Link>
      ))}
    </div>
  );
}
