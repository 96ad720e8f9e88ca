import Link from "next/link";
import { Button } from "@/components/ui/button";

/**
 * The viewer's own links: who is signed in, Security, Sign out. `testId` goes on the email of the
 * copy tests read (the header's); the phone menu's copy has none, so a locator finds one.
 */
export function AccountLinks({ email, securityHref, signOut, testId }: { email: string; securityHref: string; signOut: () => Promise<void>; testId?: string }) {
  return (
    <div className="flex min-w-0 flex-wrap items-center gap-3 text-sm">
      <span className="min-w-0 truncate text-slate-600" data-testid={testId}>
        {email}
      </span>
      <Link href={securityHref} className="text-brand-700 underline-offset-2 hover:underline">
        Security
      </Link>
      <form action={signOut}>
        <Button type="submit" variant="secondary">
          Sign out
        </Button>
      </form>
    </div>
  );
}
