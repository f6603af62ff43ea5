"use client";

import dynamic from "next/dynamic";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useQuery } from "convex/react";
import { DropdownMenu, Dialog } from "radix-ui";
import { ChevronDown, GraduationCap, Menu, X } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { NAVIGATION, type Role } from "@/lib/rolePermissions";
import { Avatar } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/cn";
import { SignOutButton } from "./SignOutButton";
import { useHydrated } from "@/hooks/useHydrated";
import { HeaderFrame, SignedOutActions } from "./HeaderParts";
// Signed-in widgets load in their own chunks: anonymous visitors (the public pages) never download them.
const WalletBalanceChip = dynamic(() => import("./WalletBalanceChip").then((m) => m.WalletBalanceChip));
const AvailabilityToggle = dynamic(() =>
  import("@/components/advisors/AvailabilityToggle").then((m) => m.AvailabilityToggle),
);
const IncomingRequests = dynamic(() => import("@/components/session/IncomingRequests").then((m) => m.IncomingRequests));
const CurrentSessionBanner = dynamic(() =>
  import("@/components/session/CurrentSessionBanner").then((m) => m.CurrentSessionBanner),
);
const QueueOfferWatcher = dynamic(() =>
  import("@/components/queue/QueueOfferWatcher").then((m) => m.QueueOfferWatcher),
);
const NotificationBell = dynamic(() =>
  import("@/components/notifications/NotificationBell").then((m) => m.NotificationBell),
);

export type HeaderViewer = { name: string; email: string; role: Role; avatarUrl: string | null } | null;

const ROLE_LABEL: Record<Role, string> = { client: "Client", advisor: "Advisor", admin: "Admin" };

export function Header({ initialViewer }: { initialViewer: HeaderViewer }) {
  const live = useQuery(api.users.viewer);
  // Until the live query answers, show what the server rendered (no flash of signed-out UI).
  const viewer: HeaderViewer = live === undefined ? initialViewer : live;
  const pathname = usePathname();
  const nav = viewer ? NAVIGATION[viewer.role] : [];

  return (
    <>
      <HeaderFrame after={viewer !== null ? <CurrentSessionBanner /> : null}>
        <nav aria-label="Main" className="hidden flex-1 items-center gap-1 md:flex">
          {nav.map((item) => (
            <NavLink key={item.href} href={item.href} label={item.label} active={isActive(pathname, item.href)} />
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-2">
          {viewer === null ? (
            <SignedOutActions />
          ) : (
            <>
              {viewer.role === "client" ? <WalletBalanceChip /> : null}
              {viewer.role === "advisor" ? <AvailabilityToggle /> : null}
              <NotificationBell />
              <UserMenu viewer={viewer} />
              <MobileNav items={nav} pathname={pathname} />
            </>
          )}
        </div>
      </HeaderFrame>
      {viewer?.role === "advisor" ? <IncomingRequests /> : null}
      {viewer ? <QueueOfferWatcher /> : null}
    </>
  );
}

function isActive(pathname: string, href: string): boolean {
  return pathname === href || (href !== "/advisor-dashboard" && pathname.startsWith(`${href}/`));
}

function NavLink({
  href,
  label,
  active,
  onClick,
}: {
  href: string;
  label: string;
  active: boolean;
  onClick?: () => void;
}) {
  return (
    <Link
      href={href}
      onClick={onClick}
      aria-current={active ? "page" : undefined}
      className={cn(
        "rounded-lg px-3 py-2 text-sm font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900",
        active && "bg-brand-50 text-brand-700 hover:bg-brand-50 hover:text-brand-700",
      )}
    >
      {label}
    </Link>
  );
}

function UserMenu({ viewer }: { viewer: NonNullable<HeaderViewer> }) {
  const hydrated = useHydrated();
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>
        <button
          type="button"
          className="flex items-center gap-2 rounded-full p-1 pr-2 hover:bg-slate-100 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
          aria-label={`Account menu for ${viewer.name}`}
          data-testid="user-menu"
          disabled={!hydrated}
        >
          <Avatar name={viewer.name} src={viewer.avatarUrl} size={32} />
          <span className="hidden text-sm font-medium text-slate-800 lg:inline">{viewer.name}</span>
          <ChevronDown className="size-4 text-slate-500" aria-hidden="true" />
        </button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={8}
          className="z-50 w-64 rounded-xl border border-slate-200 bg-white p-2 shadow-lg"
        >
          <div className="px-2 py-2">
            <p className="truncate text-sm font-medium text-slate-900">{viewer.name}</p>
            <p className="truncate text-xs text-slate-500">{viewer.email}</p>
            <p className="mt-1 text-xs font-medium text-brand-700" data-testid="viewer-role">
              {ROLE_LABEL[viewer.role]}
            </p>
          </div>
          <DropdownMenu.Separator className="my-1 h-px bg-slate-200" />
          {viewer.role === "client" ? (
            <DropdownMenu.Item asChild>
              <Link
                href="/advisor/setup"
                className="flex w-full items-center gap-2 rounded-lg px-2 py-2 text-left text-sm text-slate-700 outline-none data-[highlighted]:bg-slate-100 [&_svg]:size-4"
                data-testid="menu-become-advisor"
              >
                <GraduationCap aria-hidden="true" /> Become an advisor
              </Link>
            </DropdownMenu.Item>
          ) : null}
          <DropdownMenu.Item asChild>
            <SignOutButton className="flex w-full items-center gap-2 rounded-lg px-2 py-2 text-left text-sm text-slate-700 outline-none data-[highlighted]:bg-slate-100 [&_svg]:size-4" />
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

function MobileNav({ items, pathname }: { items: readonly { href: string; label: string }[]; pathname: string }) {
  const hydrated = useHydrated();
  return (
    <Dialog.Root>
      <Dialog.Trigger asChild>
        <Button variant="ghost" size="icon" className="md:hidden" aria-label="Open menu" disabled={!hydrated}>
          <Menu aria-hidden="true" />
        </Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-50 bg-slate-900/40" />
        <Dialog.Content className="fixed inset-y-0 right-0 z-50 flex w-72 flex-col gap-1 bg-white p-4 shadow-xl">
          <div className="mb-2 flex items-center justify-between">
            <Dialog.Title className="font-semibold">Menu</Dialog.Title>
            <Dialog.Close asChild>
              <Button variant="ghost" size="icon" aria-label="Close menu">
                <X aria-hidden="true" />
              </Button>
            </Dialog.Close>
          </div>
          <Dialog.Description className="sr-only">Site navigation</Dialog.Description>
          <nav aria-label="Mobile" className="flex flex-col gap-1">
            {items.map((item) => (
              <Dialog.Close asChild key={item.href}>
                <NavLink href={item.href} label={item.label} active={isActive(pathname, item.href)} />
              </Dialog.Close>
            ))}
          </nav>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
