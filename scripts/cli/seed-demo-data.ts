import { ValidationError } from "@/lib/core/errors";
import { defineCliCommand, stringFlag } from "./define-cli-command";

/** `seed`: the Acme demo, only ever into a database without organizations. */
export const seedDemoDataCli = defineCliCommand({
  words: ["seed"],
  summary: "Load the demo (Northwind Supply and its account Acme Industrial) into an empty database",
  options: [{ flag: "orders", value: "n", description: "How many demo orders to create (default 500)", field: "orderCount" }],
  details: ["Never seeds over data: if any organization exists it says so and changes nothing (exit 0)."],
  examples: ["seed", "seed --orders 50"],
  async run({ flags, db, log }) {
    const { countOrganizations, DEMO_PASSWORD, demoPersonas, isDatabaseEmpty, seedDemo, supplierPersonas } = await import("./app-modules");
    const orders = stringFlag(flags, "orders");
    if (orders !== undefined && !/^\d{1,6}$/.test(orders.trim())) throw new ValidationError({ orderCount: ["must be a whole number up to 999999"] });
    if (!(await isDatabaseEmpty(db))) {
      const organizations = await countOrganizations(db);
      return {
        human: [`The database already has data (${organizations} organization${organizations === 1 ? "" : "s"}); not seeding.`],
        json: { seeded: false, reason: "not_empty", organizations },
      };
    }
    const orderCount = orders === undefined ? 500 : Number(orders);
    log(`Loading the demo: Northwind Supply and its account Acme Industrial (${orderCount} orders)...`);
    const { org, supplier } = await seedDemo(db, { orderCount, log });
    return {
      human: [
        `Loaded the demo: the supplier "${supplier.slug}" and its account "${org.slug}", ${orderCount} orders.`,
        `Demo sign-ins (password for each: ${DEMO_PASSWORD}):`,
        ...[...demoPersonas, ...supplierPersonas].map((p) => `  ${p.email.padEnd(20)} ${p.persona}`),
      ],
      json: {
        seeded: true,
        org: { id: org.id, slug: org.slug, name: org.name },
        supplier,
        orders: orderCount,
        password: DEMO_PASSWORD,
        personas: [...demoPersonas.map((p) => ({ email: p.email, role: p.role, branch: p.branch, persona: p.persona })), ...supplierPersonas.map((p) => ({ email: p.email, role: p.role, branch: null, persona: p.persona }))],
      },
    };
  },
});
