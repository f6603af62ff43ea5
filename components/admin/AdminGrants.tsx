"use client";

import { useMutation, useQuery } from "convex/react";
import { api } from "@/convex/_generated/api";
import { runWithToast } from "@/components/admin/runWithToast";
import { Button } from "@/components/ui/button";

/** Admin role requests waiting for a second admin (four-eyes): the requester and the person granted cannot decide. */
export function AdminGrants() {
  const grants = useQuery(api.adminUsers.pendingAdminGrants, {});
  const decide = useMutation(api.adminUsers.decideAdminGrant);
  if (grants === undefined || grants.length === 0) return null;
  return (
    <section
      aria-label="Admin role requests"
      className="rounded-xl border border-amber-200 bg-amber-50 p-4"
      data-testid="admin-grants"
    >
      <h2 className="mb-2 font-semibold text-amber-900">Admin role requests (need a second admin)</h2>
      <ul className="flex flex-col gap-2">
        {grants.map((g) => (
          <li key={g._id} className="flex flex-wrap items-center justify-between gap-2 text-sm text-amber-900">
            <span>
              {g.userName}, asked by {g.requestedByName}
              {g.reason ? `: ${g.reason}` : ""}
            </span>
            {g.canDecide ? (
              <span className="flex gap-2">
                <Button
                  size="sm"
                  onClick={() =>
                    void runWithToast(() => decide({ grantId: g._id, approve: true }), `${g.userName} is now an admin.`)
                  }
                >
                  Approve
                </Button>
                <Button
                  size="sm"
                  variant="secondary"
                  onClick={() =>
                    void runWithToast(() => decide({ grantId: g._id, approve: false }), "Request rejected.")
                  }
                >
                  Reject
                </Button>
              </span>
            ) : (
              <span className="text-xs">Another admin must decide.</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
