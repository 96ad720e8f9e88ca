import { NotFoundError, ValidationError } from "@/lib/core/errors";
import { defineCliCommand, requiredFlag, stringFlag } from "./define-cli-command";

export const createTokenCli = defineCliCommand({
  words: ["token", "create"],
  summary: "Issue an API token acting as a member (printed once)",
  options: [
    { flag: "org", value: "slug", description: "The organization", required: true },
    { flag: "email", value: "email", description: "The member the token acts as (never with more rights than they have)", required: true, field: "email" },
    { flag: "name", value: "name", description: 'Label to recognize the token by (default "API token")', field: "name" },
    { flag: "expires-days", value: "n", description: "Expire after n days (default: never)", field: "expiresInDays" },
  ],
  details: ["Only a hash is stored: copy the token when it is printed; it cannot be shown again."],
  examples: ['token create --org acme --email buyer@acme.test --name "ERP sync" --expires-days 90'],
  async run({ flags, db }) {
    const { createApiTokenCommand, resolveOrg, runCommand, systemMeta, systemPrincipal } = await import("./app-modules");
    const org = await resolveOrg(db, requiredFlag(flags, "org"));
    const days = stringFlag(flags, "expires-days");
    if (days !== undefined && !/^\d{1,9}$/.test(days.trim())) throw new ValidationError({ expiresInDays: ["must be a whole number of days"] });
    const input = { email: requiredFlag(flags, "email"), name: stringFlag(flags, "name"), expiresInDays: days === undefined ? undefined : Number(days) };
    const created = await runCommand(createApiTokenCommand, systemPrincipal("cli", org), systemMeta("cli"), input, db).catch((error: unknown) => {
      if (error instanceof NotFoundError) throw new NotFoundError(`--email: member "${input.email.trim()}" of organization "${org.slug}"`);
      throw error;
    });
    const expiry = input.expiresInDays ? `expires in ${input.expiresInDays} day${input.expiresInDays === 1 ? "" : "s"}` : "never expires";
    return {
      human: [
        `Created API token ${created.prefix}... for ${input.email.trim()} in ${org.slug} (id ${created.id}, ${expiry}):`,
        "",
        created.token,
        "",
        "Copy it now: it will not be shown again.",
      ],
      json: { id: created.id, token: created.token, prefix: created.prefix },
    };
  },
});
