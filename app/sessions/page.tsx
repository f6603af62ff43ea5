import { redirect } from "next/navigation";

/** Short link kept for bookmarks: the history lives under the user dashboard. */
export default function SessionsPage() {
  redirect("/user-dashboard/sessions");
}
