-- Trigram indexes make the catalog's search by SKU and name a few index pages at 100,000
-- products (lib/catalog/list-products.ts). pg_trgm ships with PostgreSQL's contrib (the
-- embedded server has it) and is a trusted extension since PostgreSQL 13, so a database owner
-- without superuser may create it too.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
