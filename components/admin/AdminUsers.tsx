"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useId, useState } from "react";
import { useMutation, usePaginatedQuery, useQuery } from "convex/react";
import { format } from "date-fns";
import { ChevronRight, ShieldCheck, UserCog, UserMinus, Users } from "lucide-react";
import type { FunctionReturnType } from "convex/server";
import { api } from "@/convex/_generated/api";
import { optionsOf, Select } from "@/components/ui/select";
import { runWithToast } from "@/components/admin/runWithToast";
import { useTypedBeforeHydration } from "@/hooks/useTypedBeforeHydration";
import { AdminGrants } from "@/components/admin/AdminGrants";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { EmptyState, LoadMoreButton, LoadingRows } from "@/components/ui/misc";
import { ReasonDialog } from "@/components/ui/reason-dialog";
import { ROLES, USER_STATUSES, type Role, type UserStatus } from "@/lib/rolePermissions";

const PAGE_SIZE = 25;

export const ROLE_LABELS: Record<Role, string> = { client: "Client", advisor: "Advisor", admin: "Admin" };
export const STATUS_LABELS: Record<UserStatus, string> = { active: "Active", suspended: "Suspended" };
const ROLE_TONE: Record<Role, "neutral" | "brand" | "warning"> = {
  client: "neutral",
  advisor: "brand",
  admin: "warning",
};

/** One row of the admin user list: whatever the search query returns (one definition, on the server). */
export type UserRow = FunctionReturnType<typeof api.adminUsers.search>[number];

export function RoleBadge({ role }: { role: Role }) {
  return <Badge tone={ROLE_TONE[role]}>{ROLE_LABELS[role]}</Badge>;
}

export function StatusBadge({ status }: { status: UserStatus }) {
  return (
    <Badge tone={status === "suspended" ? "danger" : "success"} data-testid="user-status">
      {STATUS_LABELS[status]}
    </Badge>
  );
}

/** The reason field every user action asks for. */
const REASON_FIELD = {
  label: "Reason",
  inputTestId: "user-action-reason",
  submitTestId: "user-action-submit",
} as const;

/** What the status button does for a user in each status: an active user can be suspended, a suspended one reinstated. */
const STATUS_ACTION = {
  active: {
    verb: "Suspend",
    done: "suspended",
    testId: "user-suspend",
    Icon: UserMinus,
    className: "text-red-700",
    tone: "danger",
    description:
      "They can still sign in and read, but cannot start sessions, top up or request payouts until reinstated. The reason is kept in the audit log.",
  },
  suspended: {
    verb: "Reinstate",
    done: "reinstated",
    testId: "user-reinstate",
    Icon: ShieldCheck,
    className: undefined,
    tone: "primary",
    description: "They can use the platform again straight away. The reason is kept in the audit log.",
  },
} as const satisfies Record<UserStatus, object>;

/** Suspend or reinstate (with a required reason) and change role; each asks for confirmation in a dialog. */
export function UserActions({ user }: { user: UserRow }) {
  const suspend = useMutation(api.adminUsers.suspend);
  const reinstate = useMutation(api.adminUsers.reinstate);
  const changeRole = useMutation(api.adminUsers.changeRole);
  const otherRoles = ROLES.filter((r) => r !== user.role);
  const [role, setRole] = useState<Role>(otherRoles[0]!);
  const roleId = useId();
  const statusAction = STATUS_ACTION[user.status];

  return (
    <div className="flex flex-wrap gap-2">
      <ReasonDialog
        trigger={
          <Button
            variant="secondary"
            size="sm"
            className={statusAction.className}
            data-testid={statusAction.testId}
            aria-label={`${statusAction.verb} ${user.name}`}
          >
            <statusAction.Icon aria-hidden="true" /> {statusAction.verb}
          </Button>
        }
        title={`${statusAction.verb} ${user.name}?`}
        description={statusAction.description}
        confirmLabel={statusAction.verb}
        tone={statusAction.tone}
        {...REASON_FIELD}
        onConfirm={(reason) =>
          runWithToast(
            () => (user.status === "active" ? suspend : reinstate)({ userId: user._id, reason }),
            `${user.name} is ${statusAction.done}.`,
          )
        }
      />
      <ReasonDialog
        trigger={
          <Button
            variant="secondary"
            size="sm"
            data-testid="user-change-role"
            aria-label={`Change role of ${user.name}`}
          >
            <UserCog aria-hidden="true" /> Change role
          </Button>
        }
        title={`Change the role of ${user.name}?`}
        description={`They are ${user.role === "admin" ? "an admin" : `a ${user.role}`} now. What they can see and do changes at once. The change is kept in the audit log.`}
        confirmLabel="Change role"
        tone="primary"
        {...REASON_FIELD}
        onOpen={() => setRole(otherRoles[0]!)}
        extraFields={() => (
          <div className="flex flex-col gap-1.5">
            <Label htmlFor={roleId}>New role</Label>
            <Select
              id={roleId}
              options={optionsOf(otherRoles, (r) => ROLE_LABELS[r])}
              value={role}
              onValueChange={(r) => r !== "" && setRole(r)}
              data-testid="user-role-select"
            />
          </div>
        )}
        onConfirm={(reason) =>
          runWithToast(
            () => changeRole({ userId: user._id, role, reason }),
            role === "admin"
              ? `Asked to make ${user.name} an admin: a second admin must approve.`
              : `${user.name} is now a ${role}.`,
          )
        }
      />
    </div>
  );
}

export type UserFilters = { q: string; role: Role | ""; status: UserStatus | "" };

/** Everyone on the platform: search by name or email, filter by role and status (kept in the URL), act on a row. */
export function AdminUsers({ initial }: { initial: UserFilters }) {
  const router = useRouter();
  const pathname = usePathname();
  const [text, setText] = useState(initial.q);
  const [q, setQ] = useState(initial.q.trim());
  const [role, setRole] = useState<Role | "">(initial.role);
  const [status, setStatus] = useState<UserStatus | "">(initial.status);
  const ids = { q: useId(), role: useId(), status: useId() };
  const searchInput = useTypedBeforeHydration(text, setText);
  const viewer = useQuery(api.users.viewer, {});

  // Debounce typing into the search term.
  useEffect(() => {
    const t = setTimeout(() => setQ(text.trim()), 250);
    return () => clearTimeout(t);
  }, [text]);

  // Keep the filters in the URL so links (?role=advisor&status=suspended&q=...) and reloads land on the same view.
  useEffect(() => {
    const params = new URLSearchParams();
    if (q) params.set("q", q);
    if (role) params.set("role", role);
    if (status) params.set("status", status);
    const query = params.toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  }, [q, role, status, router, pathname]);

  const filters = { ...(role ? { role } : {}), ...(status ? { status } : {}) };
  const searching = q !== "";
  const found = useQuery(api.adminUsers.search, searching ? { text: q, ...filters } : "skip");
  const listed = usePaginatedQuery(api.adminUsers.list, searching ? "skip" : filters, { initialNumItems: PAGE_SIZE });

  const loading = searching ? found === undefined : listed.status === "LoadingFirstPage";
  const rows: UserRow[] = searching ? (found ?? []) : listed.results;
  const filtered = searching || role !== "" || status !== "";

  return (
    <div className="flex flex-col gap-4">
      <AdminGrants />
      <form role="search" className="grid gap-3 sm:grid-cols-[2fr_1fr_1fr]" onSubmit={(e) => e.preventDefault()}>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor={ids.q}>Search</Label>
          <Input
            id={ids.q}
            ref={searchInput}
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Name or email"
            autoComplete="off"
            data-testid="user-search"
          />
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor={ids.role}>Role</Label>
          <Select
            id={ids.role}
            options={optionsOf(ROLES, (r) => ROLE_LABELS[r])}
            allLabel="All roles"
            value={role}
            onValueChange={setRole}
            data-testid="user-role-filter"
          />
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor={ids.status}>Status</Label>
          <Select
            id={ids.status}
            options={optionsOf(USER_STATUSES, (s) => STATUS_LABELS[s])}
            allLabel="Any status"
            value={status}
            onValueChange={setStatus}
            data-testid="user-status-filter"
          />
        </div>
      </form>
      {searching && !loading ? (
        <p className="text-sm text-slate-500" role="status">
          {rows.length === 0 ? "No matches." : `${rows.length} ${rows.length === 1 ? "match" : "matches"}, best first.`}
        </p>
      ) : null}
      {loading ? (
        <LoadingRows label="Loading users" />
      ) : rows.length === 0 ? (
        <EmptyState icon={<Users />} title={filtered ? "No users match" : "No users yet"}>
          {filtered ? "Try another name, email, role or status." : "People show here once they sign in."}
        </EmptyState>
      ) : (
        <ul className="flex flex-col gap-3" data-testid="user-list">
          {rows.map((u) => (
            <UserListRow key={u._id} user={u} self={viewer?._id === u._id} />
          ))}
        </ul>
      )}
      {searching ? null : <LoadMoreButton status={listed.status} onLoadMore={() => listed.loadMore(PAGE_SIZE)} />}
    </div>
  );
}

function UserListRow({ user: u, self }: { user: UserRow; self: boolean }) {
  return (
    <li
      className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:flex-row sm:items-center sm:justify-between"
      data-testid="user-row"
      data-user-id={u._id}
      data-email={u.email}
      data-status={u.status}
      data-role={u.role}
    >
      <div className="flex min-w-0 flex-1 flex-col gap-1">
        <div className="flex flex-wrap items-center gap-2">
          <Link
            href={`/admin/users/${u._id}`}
            className="font-semibold text-slate-900 underline-offset-4 hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
            data-testid="user-link"
          >
            {u.name || "Unnamed user"}
          </Link>
          <RoleBadge role={u.role} />
          <StatusBadge status={u.status} />
          {self ? <Badge tone="brand">You</Badge> : null}
        </div>
        <p className="truncate text-sm text-slate-600">{u.email}</p>
        {u.status === "suspended" && u.statusReason ? (
          <p className="text-sm text-red-700" data-testid="user-status-reason">
            Suspended: {u.statusReason}
          </p>
        ) : null}
        <p className="text-xs text-slate-500">Joined {format(u.createdAt, "d MMM yyyy")}</p>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        {self ? null : <UserActions user={u} />}
        <Button asChild variant="ghost" size="sm">
          <Link href={`/admin/users/${u._id}`} aria-label={`Details for ${u.name || u.email}`}>
            Details <ChevronRight aria-hidden="true" />
          </Link>
        </Button>
      </div>
    </li>
  );
}
