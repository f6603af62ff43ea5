import "server-only";
import type { ReactNode } from "react";
import { redirect } from "next/navigation";
import { headers } from "next/headers";
import { can, HOME_BY_ROLE, type Permission } from "@/lib/rolePermissions";
import { getViewer, type ServerViewer } from "./server";
import { NotAllowed } from "@/components/auth/NotAllowed";

/** Server-side gate for a page area: sign-in redirect when signed out, "not allowed" for the wrong role. */
export async function guardArea(
  permission: Permission,
  render: (viewer: ServerViewer) => ReactNode,
): Promise<ReactNode> {
  const session = await getViewer();
  if (session === null) {
    const path = (await headers()).get("x-pathname") ?? "/";
    redirect(`/sign-in?next=${encodeURIComponent(path)}`);
  }
  if (!can(session.viewer.role, permission)) {
    return <NotAllowed homeHref={HOME_BY_ROLE[session.viewer.role]} />;
  }
  return render(session.viewer);
}
