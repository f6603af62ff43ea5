"use client";
// Starts a background job an admin asked for (a mutation returning its request) and follows it with a progress
// query until it is done or failed: the ledger check, the reconciliation, margin exports.
import { useState } from "react";
import { useMutation, useQuery } from "convex/react";
import type { FunctionReference } from "convex/server";
import { userMessage } from "@/lib/errors";

type JobRequest = { requestId: string; jobId: string };

export function useBackgroundJob<Progress extends { status: "queued" | "running" | "failed" | "done" }>(
  start: FunctionReference<"mutation", "public", Record<string, never>, JobRequest>,
  follow: FunctionReference<"query", "public", JobRequest, Progress>,
) {
  const startJob = useMutation(start);
  const [starting, setStarting] = useState(false);
  const [request, setRequest] = useState<JobRequest | null>(null);
  const [error, setError] = useState<string | null>(null);
  const progress = useQuery(follow, request ?? "skip");
  const running =
    starting ||
    (request !== null && (progress === undefined || progress.status === "queued" || progress.status === "running"));

  async function run() {
    setStarting(true);
    setError(null);
    setRequest(null); // the previous job's result goes away while the next one starts
    try {
      setRequest(await startJob({}));
    } catch (e) {
      setError(userMessage(e));
    } finally {
      setStarting(false);
    }
  }

  return { run, running, error, progress: request === null ? undefined : progress };
}
