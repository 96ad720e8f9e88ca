import { beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "@/lib/core/command";
import { addBranchAddressCommand } from "@/lib/branch-addresses/add-branch-address";
import { processMessage } from "@/lib/intake/process/process-message";
import { asOperator } from "../support/as-operator";
import { meta } from "../support/factories";
import { auditEvents } from "@/db/schema";
import { and, eq } from "drizzle-orm";
import { buildAccount, countOrders, makeChannel, makeFixtureProducts, mapSender, readIntakeFixture, readMessage, readOrder, storeMessage, type IntakeAccount } from "./intake-world";

// Every public fixture through the worker: stored as acceptance stores it, processed by the job's body,
// and checked against values written by hand from the files (tests/fixtures/intake/SOURCES.md).

let acme: IntakeAccount;
let sunnyvale: string;

beforeAll(async () => {
  acme = await buildAccount();
  await makeFixtureProducts();
  sunnyvale = (await runCommand(addBranchAddressCommand, acme.org.operator, meta, { branchId: acme.store.id, label: "Sunnyvale", lines: ["123 Anystreet"], city: "Sunnyvale", postalCode: "90489", country: "US" })).id;
}, 120_000);

async function run(messageId: string) {
  const result = await processMessage(messageId);
  const message = await readMessage(messageId);
  return { result, message, doc: message.documents[0]! };
}

describe("the public fixtures through the worker", () => {
  it("X12 850 (node-x12): six lines priced from the catalog, USD 13,045.94, ship-to matched to HQ despite RD/Road; approved (no rules)", async () => {
    const channel = await makeChannel({ format: "x12-850" });
    await mapSender(channel, "4405197800", acme.org.id);
    const { message, doc } = await run(await storeMessage(channel, readIntakeFixture("x12-850/node-x12_850.edi")));
    expect(message.status).toBe("done");
    expect(doc).toMatchObject({ index: 0, documentNumber: "08292233294", sender: "x12-isa:4405197800", status: "created", accountId: acme.org.id, reason: null, valueMinor: 1_304_594, currency: "USD" });
    const order = await readOrder(doc.orderId!);
    expect(order).toMatchObject({ orgId: acme.org.id, number: "08292233294", branchId: acme.hq.id, status: "approved", currency: "USD", totalMinor: 1_304_594, buyerId: acme.buyer.userId });
    expect(order.shipTo?.addressId).toBe(acme.address.id);
    expect(order.lines).toEqual([
      { sku: "AB3542", quantity: 120, unitPriceMinor: 925, totalMinor: 111_000 },
      { sku: "RD5322", quantity: 220, unitPriceMinor: 1379, totalMinor: 303_380 },
      { sku: "XY5266", quantity: 126, unitPriceMinor: 1099, totalMinor: 138_474 },
      { sku: "VX2332", quantity: 76, unitPriceMinor: 435, totalMinor: 33_060 },
      { sku: "RV0524", quantity: 72, unitPriceMinor: 750, totalMinor: 54_000 },
      { sku: "DX1875", quantity: 696, unitPriceMinor: 955, totalMinor: 664_680 },
    ]);
    // The audit trail records the channel as the actor of the order's creation.
    const [event] = await asOperator((tx) => tx.select().from(auditEvents).where(and(eq(auditEvents.action, "order.received"), eq(auditEvents.targetId, doc.orderId!))));
    expect(event).toMatchObject({ orgId: acme.org.id, actorType: "channel", actorId: channel.id, outcome: "success" });

    // The same order re-sent with newline terminators (new bytes, same normalised content): a duplicate.
    const again = await run(await storeMessage(channel, readIntakeFixture("x12-850/node-x12_850_2_newline-terminated.edi")));
    expect(again.doc).toMatchObject({ status: "duplicate", orderId: doc.orderId });
    // The very same bytes again: the same message, already done, nothing to do.
    const same = await storeMessage(channel, readIntakeFixture("x12-850/node-x12_850.edi"));
    expect(same).toBe(message.documents[0]!.messageId);
    expect((await processMessage(same)).status).toBe("skipped");
    expect(await asOperator(async (tx) => (await tx.select().from(auditEvents).where(and(eq(auditEvents.action, "order.received"), eq(auditEvents.actorId, channel.id)))).length)).toBe(1);
  });

  it("X12 850 with a BOM (EDI.Net): one line, 19.95; a ship-to that is not the branch's is held as a draft for a person", async () => {
    const channel = await makeChannel({ format: "x12-850" });
    await mapSender(channel, "x12-isa:000123456", acme.org.id, acme.hq.id);
    const { doc } = await run(await storeMessage(channel, readIntakeFixture("x12-850/edinet_x12.850_bom.edi")));
    expect(doc).toMatchObject({ documentNumber: "1000012", status: "held", reason: { code: "ship-to-unknown", location: "N1*ST" } });
    expect(doc.flags.some((f) => f.startsWith("ship-to-unknown: N1*ST: the ship-to address (126 Any St, 11788-1234, Hauppauge)"))).toBe(true);
    const order = await readOrder(doc.orderId!);
    expect(order).toMatchObject({ status: "draft", branchId: acme.hq.id, totalMinor: 1995, number: "1000012" });
    expect(order.lines).toEqual([{ sku: "0054321", quantity: 1, unitPriceMinor: 1995, totalMinor: 1995 }]);
  });

  it("cXML OrderRequest: the shared secret checked, EUR 85.00 in two lines, shipped to the Store branch's Sunnyvale address", async () => {
    const channel = await makeChannel({ format: "cxml", secret: "coyote" });
    await mapSender(channel, "inbound@prominate-platform.com", acme.org.id);
    const { doc } = await run(await storeMessage(channel, readIntakeFixture("cxml/cxml-php_samples_OrderRequest.xml")));
    expect(doc).toMatchObject({ documentNumber: "DO1234", status: "created", currency: "EUR", valueMinor: 8500 });
    const order = await readOrder(doc.orderId!);
    expect(order).toMatchObject({ branchId: acme.store.id, currency: "EUR", totalMinor: 8500, status: "approved" });
    expect(order.shipTo?.addressId).toBe(sunnyvale);
    expect(order.lines).toEqual([{ sku: "1233244", quantity: 10, unitPriceMinor: 210, totalMinor: 2100 }, { sku: "1233245", quantity: 20, unitPriceMinor: 320, totalMinor: 6400 }]);
  });

  it("cXML with the wrong shared secret: a dead letter for the whole message, nothing created, the secret never echoed", async () => {
    const channel = await makeChannel({ format: "cxml", secret: "roadrunner" });
    await mapSender(channel, "inbound@prominate-platform.com", acme.org.id);
    const before = await countOrders(acme.org.id);
    const { message } = await run(await storeMessage(channel, readIntakeFixture("cxml/cxml-php_samples_OrderRequest.xml")));
    expect(message.status).toBe("dead_letter");
    expect(message.documents).toEqual([]);
    expect(message.deadLetters).toHaveLength(1);
    expect(message.deadLetters[0]).toMatchObject({ documentIndex: null, state: "open", reason: { code: "credentials", location: "/cXML/Header/Sender/Credential/SharedSecret" } });
    expect(JSON.stringify(message.deadLetters[0]!.reason)).not.toMatch(/coyote|roadrunner/);
    expect(await countOrders(acme.org.id)).toBe(before);
  });

  it("UBL 2.1 Order: the Peppol endpoint maps the account, the delivery GLN the Store branch; SEK 6,225", async () => {
    const channel = await makeChannel({ format: "ubl" });
    await mapSender(channel, "7300072311115", acme.org.id);
    await mapSender(channel, "gln:1234567890123", acme.org.id, acme.store.id);
    const { doc } = await run(await storeMessage(channel, readIntakeFixture("ubl/oasis_UBL-Order-2.1-Example.xml")));
    expect(doc).toMatchObject({ documentNumber: "34", status: "created", currency: "SEK", valueMinor: 622_500 });
    const order = await readOrder(doc.orderId!);
    expect(order).toMatchObject({ branchId: acme.store.id, currency: "SEK", totalMinor: 622_500 });
    expect(order.lines).toEqual([{ sku: "SItemNo001", quantity: 120, unitPriceMinor: 5000, totalMinor: 600_000 }, { sku: "SItemNo011", quantity: 15, unitPriceMinor: 1500, totalMinor: 22_500 }]);
  });

  it("Shopify orders/create: the shop maps the account; the header total 398.00 is not the lines' 597.00, so it is held", async () => {
    const channel = await makeChannel({ format: "shopify" });
    // A shop's customers ship anywhere: for this account the unknown ship-to is only flagged.
    await mapSender(channel, "shopify-shop:test.myshopify.com", acme.org.id, acme.hq.id, { shipToUnknown: "accept" });
    const { doc } = await run(await storeMessage(channel, readIntakeFixture("shopify/shopify_python_api_order.json"), { "x-shopify-shop-domain": "test.myshopify.com", "x-shopify-topic": "orders/create" }));
    expect(doc).toMatchObject({ documentNumber: "450789469", status: "held", reason: { code: "totals-mismatch", location: "claims.total" } });
    expect(doc.reason!.message).toBe("claims.total: the header claims a total of 398.00; the lines add up to 597");
    const order = await readOrder(doc.orderId!);
    expect(order).toMatchObject({ status: "draft", totalMinor: 59_700, currency: "USD" });
    expect(order.lines.map((l) => l.sku)).toEqual(["IPOD2008GREEN", "IPOD2008RED", "IPOD2008BLACK"]);
    expect(doc.flags.map((f) => f.split(":")[0])).toEqual(expect.arrayContaining(["ship-to-unknown", "totals-mismatch"]));
  });

  it("EDIFACT ORDERS (EANCOM, no UNZ): GTINs are SKUs, the delivery GLN maps HQ, no currency means the account's USD", async () => {
    const channel = await makeChannel({ format: "edifact" });
    await mapSender(channel, "12345678", acme.org.id);
    await mapSender(channel, "8711576100019", acme.org.id, acme.hq.id);
    const { doc } = await run(await storeMessage(channel, readIntakeFixture("edifact/pydifact_order_D96A_EAN008_no-UNZ.edi")));
    expect(doc).toMatchObject({ documentNumber: "801715918011", status: "created", currency: "USD" });
    const order = await readOrder(doc.orderId!);
    expect(order).toMatchObject({ branchId: acme.hq.id, currency: "USD", totalMinor: 8 * 1250 + 8 * 1300 });
  });
});

describe("csv through the worker", () => {
  it("two POs in one upload are two documents with their own outcomes, the column mapping as the channel stores it", async () => {
    const channel = await makeChannel({ format: "csv", defaultAccountId: acme.org.id, defaultBranchId: acme.hq.id, csvMapping: { documentNumber: "PO", vendorPartNumber: "Item", quantity: "Qty", unitPrice: "Price", currency: "Currency" } });
    const body = "PO,Item,Qty,Price,Currency\nCSV-1,AB3542,2,9.25,USD\nCSV-1,RD5322,1,13.79,USD\nCSV-2,NOT-OURS,1,1.00,USD\n";
    const { message } = await run(await storeMessage(channel, body));
    expect(message.documents.map((d) => [d.documentNumber, d.status])).toEqual([["CSV-1", "created"], ["CSV-2", "rejected"]]);
    expect(message.documents[1]!.reason).toMatchObject({ code: "unknown-sku", location: "PO 2, line 1, part number" });
    const order = await readOrder(message.documents[0]!.orderId!);
    expect(order).toMatchObject({ branchId: acme.hq.id, totalMinor: 2 * 925 + 1379 });
  });
});
