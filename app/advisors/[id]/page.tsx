import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { fetchQuery } from "convex/nextjs";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { getAuthToken } from "@/server/auth/server";
import { AdvisorProfileView } from "@/components/advisors/AdvisorProfileView";
import { VisitorConvexProvider } from "@/components/providers/VisitorConvexProvider";

async function load(id: string) {
  const token = (await getAuthToken()) ?? undefined;
  return await fetchQuery(api.advisorProfiles.getPublic, { profileId: id as Id<"advisorProfiles"> }, { token }).catch(
    () => null,
  );
}

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const advisor = await load((await params).id);
  return { title: advisor ? advisor.displayName : "Advisor" };
}

export default async function AdvisorPage({ params }: { params: Promise<{ id: string }> }) {
  const advisor = await load((await params).id);
  if (advisor === null) notFound();
  return (
    <VisitorConvexProvider>
      <AdvisorProfileView initial={advisor} />
    </VisitorConvexProvider>
  );
}
