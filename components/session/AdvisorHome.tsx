"use client";

import Link from "next/link";
import { useQuery } from "convex/react";
import { Radio } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { AdvisorDisputes } from "@/components/disputes/AdvisorDisputes";
import { SessionHistory } from "@/components/sessions/SessionHistory";
import { STATUS_LABELS } from "@/lib/sessionUtils";
import { AdvisorQueueCard } from "@/components/queue/AdvisorQueueCard";

/** What to do next, by the advisor's availability: go Online, or (Online / Busy) what happens now. */
function ReadyText({ availability }: { availability: "online" | "busy" | "offline" | null }) {
  const billing =
    "Billing runs by the second from the moment you accept, and your share is credited when the session ends.";
  if (availability === "online") {
    return (
      <>
        You are <strong>Online</strong>: clients can request you now. Requests ring on any page for 60 seconds; accept
        to open the room. {billing}
      </>
    );
  }
  if (availability === "busy") {
    return (
      <>
        You are <strong>Busy</strong>: clients see you but cannot start a session. Switch to <strong>Online</strong> in
        the header when you are ready. {billing}
      </>
    );
  }
  return (
    <>
      Set yourself <strong>Online</strong> with the switch in the header. Requests ring on any page for 60 seconds;
      accept to open the room. {billing}
    </>
  );
}

/** The advisor's dashboard: the live session (if any), how requests arrive, recent sessions. */
export function AdvisorHome() {
  const current = useQuery(api.sessions.current);
  const presence = useQuery(api.presence.mine);
  return (
    <div className="flex flex-col gap-6">
      {current && current.status !== "requested" ? (
        <Card className="border-brand-200 bg-brand-50">
          <CardContent className="flex flex-wrap items-center gap-3 pt-5">
            <Radio className="size-5 text-brand-700" aria-hidden="true" />
            <p className="flex-1 text-sm">
              {STATUS_LABELS[current.status]} {current.kind} session with <strong>{current.counterpartName}</strong>.
            </p>
            <Button asChild>
              <Link href={`/session/${current._id}`}>Open the room</Link>
            </Button>
          </CardContent>
        </Card>
      ) : (
        <Card>
          <CardHeader>
            <CardTitle>Ready for clients</CardTitle>
          </CardHeader>
          <CardContent className="text-sm text-slate-600" data-testid="advisor-ready-card">
            <ReadyText availability={presence?.availability ?? null} />
          </CardContent>
        </Card>
      )}
      <AdvisorQueueCard />
      <AdvisorDisputes />
      <section className="flex flex-col gap-3">
        <div className="flex items-center justify-between">
          <h2 className="text-lg font-semibold">Recent sessions</h2>
          <Link
            href="/advisor-dashboard/sessions"
            className="text-sm text-brand-700 underline-offset-4 hover:underline"
          >
            All sessions
          </Link>
        </div>
        <SessionHistory as="advisor" pageSize={5} />
      </section>
    </div>
  );
}
