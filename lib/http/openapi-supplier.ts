import { z } from "zod";
import { accountListQuerySchema, accountPageSchema, accountSummarySchema, openAccountSchema } from "@/lib/accounts/schemas";
import { addressFieldsSchema, branchAddressSchema } from "@/lib/branch-addresses/schemas";
import { catalogPageSchema, catalogProductSchema, createProductSchema, productDetailSchema, productListQuerySchema } from "@/lib/catalog/schemas";
import { PROBLEM_CONTENT_TYPE } from "./problem";
import { removeAccountPriceQuerySchema, setAccountPriceBodySchema, updateAccountBodySchema, updateBranchAddressBodySchema, updateProductBodySchema } from "./supplier-bodies";

type JsonSchema = z.core.JSONSchema.BaseSchema;

/*
 * The catalog, the supplier's accounts and branch addresses. Bodies and parameters are generated
 * from the schemas the commands and routes validate with. A customer's token on a supplier-only
 * operation gets 403 ("Only the supplier's staff can do that."), recorded as a denial.
 */

const catalogParams: Record<keyof typeof productListQuerySchema.shape, string> = {
  q: "Search: a substring of the SKU or the name (three characters or more), or a prefix of either (one or two).",
  category: "Only this category (exact).",
  currency: "Customers: the currency to price in, one their account uses (default: its base currency). Supplier: which list price to put in `price`.",
  status: "Supplier staff only: active, inactive or all (default). Customers always get active products.",
  cursor: "The `nextCursor` of the previous page.",
  limit: "Page size.",
};
const accountParams: Record<keyof typeof accountListQuerySchema.shape, string> = { cursor: "The `nextCursor` of the previous page.", limit: "Page size." };
const removePriceParams: Record<keyof typeof removeAccountPriceQuerySchema.shape, string> = { accountId: "The account (customer organization) id.", currency: "The currency of the price to remove." };

export const accountOpenedSchema = z.object({ id: z.uuid(), name: z.string() });
export const deletedSchema = z.object({ id: z.uuid() });
export const accountPriceResultSchema = z.object({ productId: z.uuid(), accountId: z.uuid(), currency: z.string(), unitPriceMinor: z.number().int().optional() });
export const branchAddressListSchema = z.object({ data: z.array(branchAddressSchema) });

export function registerSupplierSchemas(registry: z.core.$ZodRegistry<{ id: string }>): void {
  registry.add(catalogProductSchema, { id: "CatalogProduct" });
  registry.add(productDetailSchema, { id: "CatalogProductDetail" });
  registry.add(catalogPageSchema, { id: "CatalogPage" });
  registry.add(accountSummarySchema, { id: "Account" });
  registry.add(accountPageSchema, { id: "AccountPage" });
  registry.add(accountOpenedSchema, { id: "AccountOpened" });
  registry.add(accountPriceResultSchema, { id: "AccountPriceResult" });
  registry.add(branchAddressSchema, { id: "BranchAddress" });
  registry.add(branchAddressListSchema, { id: "BranchAddressList" });
}

export function buildSupplierPaths(): Record<string, Record<string, unknown>> {
  const idParam = (name: string, what: string) => ({ name, in: "path", required: true, description: `The ${what}'s id.`, schema: { type: "string", format: "uuid" } });
  const product = [idParam("id", "product")];
  const supplierOnly = "Not the supplier's staff (a customer's token: supplier-only), or lacking the permission.";
  return {
    "/api/v1/catalog/products": {
      get: {
        operationId: "listCatalogProducts",
        security: [{ bearerAuth: [] }],
        summary: "A page of the catalog by name. Customers (orders:create or orders:read): active products at their account's price in one of its currencies. Supplier staff (catalog:manage or accounts:read): every product with every list price.",
        description: "`price.source` says whether the price is the account's own or the list price; another account's price is never shown. An organization without an account with the supplier has no catalog (404).",
        parameters: queryParameters(productListQuerySchema, catalogParams),
        responses: responses({ "200": json("A page of products.", "CatalogPage") }, "Lacks orders:create and orders:read (customer), or catalog:manage and accounts:read (supplier).", { body: false }),
      },
      post: {
        operationId: "createCatalogProduct",
        security: [{ bearerAuth: [] }],
        summary: "Adds a product with its list prices (supplier staff, catalog:manage). Audited as `catalog.product.created`.",
        requestBody: body(createProductSchema),
        responses: responses({ "201": json("The new product.", "CatalogProductDetail") }, supplierOnly, { conflict: "Another product has this SKU (case-insensitive)." }),
      },
    },
    "/api/v1/catalog/products/{id}": {
      get: {
        operationId: "getCatalogProduct",
        security: [{ bearerAuth: [] }],
        summary: "One product at the caller's price; supplier staff also get every list price and, with accounts:read, the account prices.",
        parameters: [...product, { name: "currency", in: "query", required: false, description: catalogParams.currency, schema: { type: "string" } }],
        responses: responses({ "200": json("The product.", "CatalogProductDetail") }, "As for the list.", { body: false }),
      },
      patch: {
        operationId: "updateCatalogProduct",
        security: [{ bearerAuth: [] }],
        summary: "Changes fields, the active flag and/or the whole list-price set (catalog:manage). Audited as `catalog.product.updated`.",
        parameters: product,
        requestBody: body(updateProductBodySchema),
        responses: responses({ "200": json("The product as it is now.", "CatalogProductDetail") }, supplierOnly, { conflict: "Another product has this SKU." }),
      },
      delete: {
        operationId: "deleteCatalogProduct",
        security: [{ bearerAuth: [] }],
        summary: "Removes a product with its prices (catalog:manage); orders keep their own copy of each line. Audited as `catalog.product.deleted`.",
        parameters: product,
        responses: responses({ "200": json("The product was removed.", "ResourceId") }, supplierOnly, { body: false }),
      },
    },
    "/api/v1/catalog/products/{id}/account-prices": {
      put: {
        operationId: "setAccountPrice",
        security: [{ bearerAuth: [] }],
        summary: "Sets one account's own price in one of its currencies, overriding the list price for that account only (accounts:manage). Audited as `catalog.account-price.set`.",
        parameters: product,
        requestBody: body(setAccountPriceBodySchema),
        responses: responses({ "200": json("The price.", "AccountPriceResult") }, supplierOnly),
      },
      delete: {
        operationId: "removeAccountPrice",
        security: [{ bearerAuth: [] }],
        summary: "Removes an account's own price; the list price applies again (accounts:manage). Audited as `catalog.account-price.removed`.",
        parameters: [...product, ...queryParameters(removeAccountPriceQuerySchema, removePriceParams)],
        responses: responses({ "200": json("The price was removed.", "AccountPriceResult") }, supplierOnly, { body: false }),
      },
    },
    "/api/v1/accounts": {
      get: {
        operationId: "listAccounts",
        security: [{ bearerAuth: [] }],
        summary: "The supplier's accounts by name: tier, credit limit, currencies, orders and value over the last 12 months, orders waiting for approval (supplier staff, accounts:read).",
        parameters: queryParameters(accountListQuerySchema, accountParams),
        responses: responses({ "200": json("A page of accounts.", "AccountPage") }, supplierOnly, { body: false }),
      },
      post: {
        operationId: "openAccount",
        security: [{ bearerAuth: [] }],
        summary: "Opens an account for a customer organization: tier, credit limit, base currency and other currencies with rates (accounts:manage). Audited as `account.opened`.",
        requestBody: body(openAccountSchema),
        responses: responses({ "201": json("The account.", "AccountOpened") }, supplierOnly, { conflict: "The organization already has an account." }),
      },
    },
    "/api/v1/accounts/{id}": {
      get: {
        operationId: "getAccount",
        security: [{ bearerAuth: [] }],
        summary: "One account (supplier staff, accounts:read). An id that is not an account is 404.",
        parameters: [idParam("id", "account (customer organization)")],
        responses: responses({ "200": json("The account.", "Account") }, supplierOnly, { body: false }),
      },
      patch: {
        operationId: "updateAccount",
        security: [{ bearerAuth: [] }],
        summary: "Changes tier, credit limit and/or the currency list (accounts:manage). Audited as `account.updated`.",
        description: "`currencies` replaces the whole list of other currencies; changing `baseCurrency` needs `currencies` (rates to the new base) and, when a limit is set, `creditLimitMinor` again.",
        parameters: [idParam("id", "account (customer organization)")],
        requestBody: body(updateAccountBodySchema),
        responses: responses({ "200": json("The account was changed.", "ResourceId") }, supplierOnly),
      },
    },
    "/api/v1/branches/{id}/addresses": {
      get: {
        operationId: "listBranchAddresses",
        security: [{ bearerAuth: [] }],
        summary: "A branch's addresses, the default first: for whoever may create orders there or manage the branch (else 404).",
        parameters: [idParam("id", "branch")],
        responses: responses({ "200": json("The addresses.", "BranchAddressList") }, "Never: a branch the token may not read is 404.", { body: false }),
      },
      post: {
        operationId: "addBranchAddress",
        security: [{ bearerAuth: [] }],
        summary: "Adds an address; a default one replaces the branch's previous default (branches:manage at the branch). Audited as `branch.address.added`.",
        parameters: [idParam("id", "branch")],
        requestBody: body(addressFieldsSchema),
        responses: responses({ "201": json("The address.", "BranchAddress") }, "Lacks branches:manage at the branch.", { conflict: "The branch has 50 addresses already." }),
      },
    },
    "/api/v1/branches/{id}/addresses/{addressId}": {
      patch: {
        operationId: "updateBranchAddress",
        security: [{ bearerAuth: [] }],
        summary: "Changes an address (branches:manage at the branch). Audited as `branch.address.updated`.",
        parameters: [idParam("id", "branch"), idParam("addressId", "address")],
        requestBody: body(updateBranchAddressBodySchema),
        responses: responses({ "200": json("The address as it is now.", "BranchAddress") }, "Lacks branches:manage at the branch."),
      },
      delete: {
        operationId: "removeBranchAddress",
        security: [{ bearerAuth: [] }],
        summary: "Removes an address (branches:manage); orders keep their own copy. Audited as `branch.address.removed`.",
        parameters: [idParam("id", "branch"), idParam("addressId", "address")],
        responses: responses({ "200": json("The address was removed.", "ResourceId") }, "Lacks branches:manage at the branch.", { body: false }),
      },
    },
  };
}

export function responses(ok: Record<string, unknown>, forbidden: string, options: { body?: boolean; conflict?: string } = {}) {
  return {
    ...ok,
    "401": { $ref: "#/components/responses/Unauthorized" },
    "403": problem(forbidden),
    "404": { $ref: "#/components/responses/NotFound" },
    ...(options.conflict ? { "409": problem(options.conflict) } : {}),
    ...(options.body === false ? {} : { "413": problem("The JSON body is larger than 64 KiB.") }),
    "422": { $ref: "#/components/responses/ValidationFailed" },
    "500": { $ref: "#/components/responses/InternalError" },
  };
}

// The list-price map is checked by a custom rule first (prototype keys), which JSON Schema cannot
// say; describe it as what it accepts.
const priceMap = { type: "object", description: "List prices: ISO 4217 currency code to minor units, e.g. { \"USD\": 1899 }.", additionalProperties: { type: "integer", minimum: 0 } };

function generate(schema: z.ZodType): JsonSchema {
  const generated = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === "custom") Object.assign(ctx.jsonSchema, priceMap);
    },
  }) as JsonSchema;
  delete generated.$schema;
  return generated;
}

export function body(schema: z.ZodType) {
  return { required: true, content: { "application/json": { schema: generate(schema) } } };
}

export function queryParameters(schema: z.ZodType, descriptions: Record<string, string>) {
  const generated = generate(schema);
  const required = new Set(generated.required ?? []);
  return Object.entries(generated.properties ?? {}).map(([name, property]) => ({ name, in: "query", required: required.has(name), description: descriptions[name], schema: property }));
}

export const json = (description: string, name: string) => ({ description, content: { "application/json": { schema: { $ref: `#/components/schemas/${name}` } } } });
const problem = (description: string) => ({ description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: "#/components/schemas/Problem" } } } });
