import { NotFoundError } from "@/lib/core/errors";
import { defineCliCommand, requiredFlag } from "./define-cli-command";

export const unblockMfaCli = defineCliCommand({
  words: ["user", "unblock-mfa"],
  summary: "Clear a person's second-factor block (after 100 wrong codes in a row)",
  options: [{ flag: "email", value: "email", description: "The person's sign-in email", required: true, field: "email" }],
  details: [
    "The block applies in every organization the person uses, and a password reset deliberately does not lift it, so only the operator (or an organization that owns the account) can clear it. Do it only once you know it is really them asking: the block stops someone who has their password from guessing codes.",
  ],
  examples: ["user unblock-mfa --email bea@acme.test"],
  async run({ flags, db }) {
    const { runCommand, systemMeta, systemPrincipal, unblockMemberSecondFactorCommand } = await import("./app-modules");
    const email = requiredFlag(flags, "email").trim();
    const { failures } = await runCommand(unblockMemberSecondFactorCommand, systemPrincipal("cli"), systemMeta("cli"), { email }, db).catch((error: unknown) => {
      if (error instanceof NotFoundError) throw new NotFoundError(`--email: user "${email}"`);
      throw error;
    });
    return {
      human: [`Cleared ${failures} failed second-factor attempt${failures === 1 ? "" : "s"} for ${email}: they can verify again at once.`],
      json: { email, failures },
    };
  },
});
