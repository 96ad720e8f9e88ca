export { rawSqlOf } from "@/db/raw-client";
