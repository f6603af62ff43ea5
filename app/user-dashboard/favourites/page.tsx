import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/misc";
import { FavouritesList } from "@/components/advisors/FavouritesList";

export const metadata: Metadata = { title: "Favourites" };

export default function FavouritesPage() {
  return (
    <>
      <PageHeader
        title="Favourite advisors"
        description="Your starred advisors and whether they are available right now."
      />
      <FavouritesList />
    </>
  );
}
