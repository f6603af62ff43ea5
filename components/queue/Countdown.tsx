"use client";

import { useEffect, useState } from "react";
import { offerSecondsLeft } from "@/lib/queue";

/** Seconds left on an offer, ticking every second. */
export function Countdown({ until }: { until: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return <span className="tabular-nums">{offerSecondsLeft(until, now)} s</span>;
}
