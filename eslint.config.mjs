import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTypescript,
  globalIgnores([".next/**", ".data/**", ".test-data/**", "node_modules/**", "next-env.d.ts", "test-results/**", "playwright-report/**"]),
  {
    // Imports go one way: app -> lib -> db. UI components never touch the database.
    files: ["components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@/db", "@/db/*", "@/lib/*/!(schemas)"], message: "components/ is UI only: pass data in as props." }] }],
    },
  },
  {
    // Pages, actions and route handlers go through lib/ (commands, readAs, query functions): they
    // never hold a database handle, a schema table or a query builder of their own. Only types
    // may be named (a readAs callback's Tx), since they are erased.
    files: ["app/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": "off",
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: [{ group: ["@/db", "@/db/*", "drizzle-orm", "drizzle-orm/*", "postgres"], allowTypeImports: true, message: "app/ reads and writes through lib/, never @/db or a driver." }] }],
    },
  },
  {
    files: ["lib/**/*.{ts,tsx}", "db/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@/app/*", "@/components/*"], message: "lib/ and db/ never import from app/ or components/." }] }],
    },
  },
]);
