import { z } from "zod";
import { instantSchema, safeText } from "@/lib/core/input-rules";

const MAX_DAYS = 180;
const DAY = 86_400_000;

/**
 * POST /api/v1/approval-delegations and the inbox's form: the delegate (a member id, or the
 * email the org knows them by) and the period. The delegator is always the caller, never input.
 */
export const createDelegationSchema = z
  .object({
    delegateMembershipId: z.uuid({ message: "must be a member id" }).optional(),
    delegateEmail: safeText().trim().toLowerCase().min(3, "must be an email address").max(320, "must be at most 320 characters").optional(),
    startsAt: instantSchema.optional(),
    endsAt: instantSchema,
  })
  .strict()
  .refine((d) => (d.delegateMembershipId === undefined) !== (d.delegateEmail === undefined), { message: "name the delegate by member id or by email, one of the two", path: ["delegateEmail"] })
  // The period's checks read dates: when a date itself was refused, its own message says why.
  .refine((d) => !isDate(d.endsAt) || d.endsAt.getTime() > Date.now(), { message: "must be in the future: a period that has already ended delegates nothing", path: ["endsAt"] })
  .refine((d) => !isDate(d.startsAt) || !isDate(d.endsAt) || d.startsAt.getTime() < d.endsAt.getTime(), { message: "must be before the end of the period", path: ["startsAt"] })
  .refine((d) => !isDate(d.startsAt) || d.startsAt.getTime() < Date.now() + 365 * DAY, { message: "must be within a year from now", path: ["startsAt"] })
  .refine((d) => !isDate(d.endsAt) || (d.startsAt !== undefined && !isDate(d.startsAt)) || d.endsAt.getTime() - (d.startsAt?.getTime() ?? Date.now()) <= MAX_DAYS * DAY, { message: `the period may last at most ${MAX_DAYS} days`, path: ["endsAt"] });
export type CreateDelegationInput = z.input<typeof createDelegationSchema>;

export const endDelegationSchema = z.object({ delegationId: z.uuid({ message: "must be a delegation id" }) });

export const delegationSchema = z.object({
  id: z.uuid(),
  delegator: z.object({ userId: z.uuid(), name: z.string(), email: z.string() }),
  delegate: z.object({ userId: z.uuid(), name: z.string(), email: z.string() }),
  startsAt: z.string(),
  endsAt: z.string(),
  /** "upcoming", "active" or "ended", at the time of the read. */
  state: z.enum(["upcoming", "active", "ended"]),
});
export type Delegation = z.infer<typeof delegationSchema>;
export const delegationListSchema = z.object({ given: z.array(delegationSchema), received: z.array(delegationSchema) });
export type DelegationList = z.infer<typeof delegationListSchema>;

function isDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}
