-- A few rows to look at in dev mode and on the embedded default database, never in tests or on a
-- configured database: the placeholder sampleData is true only there (see application.properties).
INSERT INTO users (name, email)
SELECT name, email FROM (VALUES
    ('Ada Lovelace', 'ada@example.com'),
    ('Alan Turing', 'alan@example.com'),
    ('Grace Hopper', 'grace@example.com')) AS sample (name, email)
WHERE '${sampleData}' = 'true';

INSERT INTO products (name, price_cents, stock)
SELECT name, price_cents, stock FROM (VALUES
    ('Patch cable', 499, 120),
    ('Headset', 4999, 15),
    ('Switchboard operator manual', 1999, 40)) AS sample (name, price_cents, stock)
WHERE '${sampleData}' = 'true';

INSERT INTO orders (user_id, total_cents)
SELECT id, 2 * 499 + 4999 FROM users WHERE email = 'ada@example.com' AND '${sampleData}' = 'true';

INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
SELECT o.id, p.id, CASE p.name WHEN 'Patch cable' THEN 2 ELSE 1 END, p.price_cents
FROM orders o JOIN users u ON u.id = o.user_id AND u.email = 'ada@example.com'
JOIN products p ON p.name IN ('Patch cable', 'Headset')
WHERE '${sampleData}' = 'true';
