-- Columns computed elsewhere (a Parquet file, another table, a Spark query's result), brought into a
-- Lance table by key: one column file per fragment through the backfill engine, no other column
-- rewritten; rows whose key the source lacks read NULL. The same source again loads only rows the
-- table gained since; a changed source loads every row again.
-- Run it with: bin/lancet-sql -f examples/sql/load_columns.sql

DROP TABLE IF EXISTS products;
DROP TABLE IF EXISTS scores;
CREATE TABLE products (id BIGINT, name STRING);
INSERT INTO products VALUES (1, 'kettle'), (2, 'toaster'), (3, 'lamp'), (4, 'chair');

-- Computed elsewhere: a popularity score and a label for some of the products.
CREATE TABLE scores (id BIGINT, popularity DOUBLE, label STRING);
INSERT INTO scores VALUES (1, 0.9, 'kitchen'), (2, 0.4, 'kitchen'), (4, 0.7, 'furniture');

ALTER TABLE products LOAD COLUMNS (popularity, label) FROM scores KEY (id);
SELECT id, name, popularity, label FROM products ORDER BY id;

-- Again, unchanged: nothing to load. A new product, then again: its row only.
ALTER TABLE products LOAD COLUMNS (popularity, label) FROM scores KEY (id);
INSERT INTO products (id, name) VALUES (5, 'desk');
INSERT INTO scores VALUES (5, 0.2, 'furniture');
ALTER TABLE products LOAD COLUMNS (popularity, label) FROM scores KEY (id);
SELECT id, name, popularity, label FROM products ORDER BY id;
