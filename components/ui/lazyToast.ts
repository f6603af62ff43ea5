/** An error toast whose code (sonner) loads on first use: public pages' buttons keep it out of their first JavaScript. */
export function toastErrorLazily(message: string): void {
  void import("sonner").then(({ toast }) => toast.error(message));
}
