package dev.switchboard.platform;

import java.util.Optional;

/**
 * What a database constraint means to a client when a write breaks it, in the API's words: each capability
 * lists the constraints of its own tables (by their names in the migrations), and {@link ProblemMapper} answers
 * with the problem listed instead of PostgreSQL's message, which names tables, indexes and key values.
 */
public interface ConstraintCatalog {

    /** The answer for a write refused by {@code constraint}, or empty when the constraint is not this catalog's. */
    Optional<Problem> explain(String constraint);

    /** A 409 about a resource ({@code user}) and, when one value is the cause, its field ({@code email}). */
    static Problem conflict(String resource, String field, String detail) {
        Problem problem = Problem.of(409, "Conflict", detail).with("resource", resource);
        return field == null ? problem : problem.with("field", field);
    }
}
