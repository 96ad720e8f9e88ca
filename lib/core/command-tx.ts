import type { Tx } from "@/db/client";

declare const commandTransaction: unique symbol;

/**
 * The transaction a command runs in (CommandContext.tx). Every helper that writes takes this,
 * never a plain Tx, so the compiler lets only a command's body call it: a page's or a route's
 * `readAs` transaction cannot, and neither can a pool. Only the command wrapper makes one
 * (tests/architecture/writes-through-commands.test.ts checks that nothing else casts to it).
 */
export type CommandTx = Tx & { readonly [commandTransaction]: true };
