import Link from "next/link";
import { fetchQuery } from "convex/nextjs";
import { Clock, ShieldCheck, Wallet } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { Button } from "@/components/ui/button";
import { AdvisorCard } from "@/components/advisors/AdvisorCard";
import { CATEGORIES } from "@/lib/categories";

export default async function LandingPage() {
  const advisors = await fetchQuery(api.advisorProfiles.listApproved, {}).catch(() => []);
  const featured = advisors.slice(0, 6);
  return (
    <div className="flex flex-col gap-16">
      <section className="grid items-center gap-10 pt-6 md:grid-cols-2">
        <div className="flex flex-col gap-5">
          <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">Live advice, by the second</p>
          <h1 className="text-4xl font-bold tracking-tight text-slate-900 sm:text-5xl">
            Talk to a trusted advisor now. Pay only for the seconds you use.
          </h1>
          <p className="text-lg text-slate-600">
            Tarot, astrology, career, relationships, wellness, finance and tech experts by live chat or video. Top up a
            prepaid wallet, see the rate before you start, and stop whenever you like.
          </p>
          <div className="flex flex-wrap gap-3">
            <Button size="lg" asChild>
              <Link href="/advisors" prefetch={false}>
                Browse advisors
              </Link>
            </Button>
            <Button size="lg" variant="secondary" asChild>
              <Link href="/advisor/setup" prefetch={false}>
                Become an advisor
              </Link>
            </Button>
          </div>
        </div>
        <div className="grid gap-3 sm:grid-cols-2">
          {featured.slice(0, 4).map((advisor) => (
            <AdvisorCard key={advisor._id} advisor={advisor} />
          ))}
        </div>
      </section>

      <section aria-labelledby="how" className="grid gap-4 sm:grid-cols-3">
        <h2 id="how" className="sr-only">
          How it works
        </h2>
        {[
          {
            icon: Wallet,
            title: "Prepaid wallet",
            text: "Top up with a card. Your balance is yours; nothing is charged until a session starts.",
          },
          {
            icon: Clock,
            title: "Billed by the second",
            text: "The server keeps time. You see the cost and time left live, with warnings before funds run out.",
          },
          {
            icon: ShieldCheck,
            title: "Fair and safe",
            text: "Something went wrong? Dispute a session within 72 hours and get a refund to your wallet.",
          },
        ].map(({ icon: Icon, title, text }) => (
          <div key={title} className="rounded-xl border border-slate-200 bg-white p-5">
            <Icon className="mb-3 size-6 text-brand-600" aria-hidden="true" />
            <h3 className="font-semibold">{title}</h3>
            <p className="mt-1 text-sm text-slate-600">{text}</p>
          </div>
        ))}
      </section>

      <section aria-labelledby="categories" className="flex flex-col gap-4">
        <h2 id="categories" className="text-xl font-semibold">
          Find help with
        </h2>
        <div className="flex flex-wrap gap-2">
          {CATEGORIES.map((c) => (
            <Link
              key={c.slug}
              href={`/advisors?category=${c.slug}`}
              prefetch={false}
              className="rounded-full border border-slate-200 bg-white px-4 py-2 text-sm font-medium text-slate-700 hover:border-brand-300 hover:text-brand-700"
            >
              {c.label}
            </Link>
          ))}
        </div>
      </section>
    </div>
  );
}
