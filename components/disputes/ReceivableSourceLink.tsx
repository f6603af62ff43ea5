import Link from "next/link";

/** Where an owed-back amount was earned: the session's receipt, or the offline messages page for a paid message. */
export function ReceivableSourceLink({
  receivable,
  messagesHref,
}: {
  receivable: { sessionId?: string; offlineMessageId?: string };
  messagesHref: string;
}) {
  const session = receivable.sessionId !== undefined;
  return (
    <Link
      href={session ? `/session/${receivable.sessionId}/receipt` : messagesHref}
      className="text-brand-700 underline-offset-4 hover:underline"
    >
      {session ? "session" : "offline message"}
    </Link>
  );
}
