package dev.switchboard.data;

import static dev.switchboard.platform.ConstraintCatalog.conflict;

import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.platform.ConstraintCatalog;
import dev.switchboard.platform.Problem;

/**
 * The constraints of the users, products and orders tables that a request can break (V1__data_schema.sql;
 * PostgreSQL names the unnamed ones table_column_fkey). Their check constraints are not listed: the inputs are
 * validated against the same bounds before any SQL runs. Orders never break the foreign keys to users and products:
 * placing one locks the user and the products first (OrderRepository), so those keys only refuse deletes.
 */
@ApplicationScoped
class DataConstraints implements ConstraintCatalog {

    private static final Map<String, Problem> MEANINGS = Map.of(
            "users_email_key", conflict("user", "email",
                    "email is already used by another user (emails are compared ignoring case); choose another one"),
            "orders_user_id_fkey", conflict("user", null,
                    "The user has orders, so it cannot be deleted"),
            "order_items_product_id_fkey", conflict("product", null,
                    "The product is part of orders, so it cannot be deleted"));

    @Override
    public Optional<Problem> explain(String constraint) {
        return Optional.ofNullable(MEANINGS.get(constraint));
    }
}
