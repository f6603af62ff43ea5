import type { Id } from "@/convex/_generated/dataModel";
import { Skeleton } from "@/components/ui/misc";

// Shared by SessionChat (built-in) and StreamSessionChat (loaded on demand), so neither imports the other.

export type SessionChatProps = {
  sessionId: Id<"sessions">;
  /** The session's `provider`: "builtin" (Convex) or "stream" (Stream Chat, loaded on demand). */
  provider: "builtin" | "stream";
  /** The viewer's side; admins read only. */
  role: "client" | "advisor" | "admin";
  /** The other party's display name (typing indicator, composer label). */
  counterpartName: string;
  /** Hide sending (e.g. admins, or a page that shows the transcript after the end). */
  readOnly?: boolean;
};

export function ChatLoading() {
  return (
    <div role="status" aria-label="Loading chat" className="flex h-full min-h-0 flex-col gap-3 p-4">
      <Skeleton className="h-10 w-2/3" />
      <Skeleton className="ml-auto h-10 w-1/2" />
      <Skeleton className="h-10 w-3/5" />
    </div>
  );
}
