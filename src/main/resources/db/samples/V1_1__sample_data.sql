-- A few rows to look at in dev mode and on the embedded default database (never in tests).
INSERT INTO users (name, email) VALUES
    ('Ada Lovelace', 'ada@example.com'),
    ('Alan Turing', 'alan@example.com'),
    ('Grace Hopper', 'grace@example.com');

INSERT INTO products (name, price_cents, stock) VALUES
    ('Patch cable', 499, 120),
    ('Headset', 4999, 15),
    ('Switchboard operator manual', 1999, 40);

INSERT INTO orders (user_id, total_cents) VALUES (1, 5997);
INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES
    (1, 1, 2, 499),
    (1, 2, 1, 4999);
