package dev.switchboard.platform;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.vertx.pgclient.PgException;

/**
 * PostgreSQL's refusals as problems in the API's words. A broken constraint is answered with what its
 * {@link ConstraintCatalog} says it means; PostgreSQL's own message (table, index, constraint and key values)
 * never reaches a client.
 */
@Singleton
public class DatabaseProblems {

    private static final Logger LOG = Logger.getLogger(DatabaseProblems.class);

    private final List<ConstraintCatalog> catalogs;

    DatabaseProblems(Instance<ConstraintCatalog> catalogs) {
        this.catalogs = catalogs.stream().toList();
    }

    @ServerExceptionMapper
    public Response database(PgException e) {
        return switch (e.getSqlState()) {
            case "23505", "23503" -> ProblemMapper.respond(meaning(e).orElseGet(() -> Problem.of(409, "Conflict",
                    "The request conflicts with data already stored"))).build();
            case "23514" -> ProblemMapper.respond(meaning(e).orElseGet(() -> Problem.of(400, "Bad Request",
                    "A value is outside the range this service can store"))).build();
            case "40001", "40P01" -> ProblemMapper.respond(Problem.of(503, "Service Unavailable",
                    "Concurrent update, please retry")).header("Retry-After", "1").build();
            // statement_timeout and lock_timeout (DatabaseConfig): the statement was cancelled and rolled back.
            case "57014", "55P03" -> ProblemMapper.respond(Problem.of(503, "Service Unavailable",
                    "The database did not answer in time; nothing was changed, please retry"))
                    .header("Retry-After", "1").build();
            // Class 22 (data exception: a value the column cannot hold, such as U+0000 in text, 22021, or a
            // number out of range, 22003) is the request's fault, never the server's. Inputs are checked
            // before they reach SQL; this is the safety net for anything a check missed.
            default -> e.getSqlState().startsWith("22")
                    ? ProblemMapper.respond(Problem.of(400, "Bad Request", e.getErrorMessage())).build()
                    : ProblemMapper.serverFault(e);
        };
    }

    private Optional<Problem> meaning(PgException e) {
        Optional<Problem> listed = catalogs.stream().flatMap(catalog -> catalog.explain(e.getConstraint()).stream())
                .findFirst();
        if (listed.isEmpty()) {
            // A gap in a catalog, not the client's fault: the answer stays generic and the name is logged for us.
            LOG.warnf("No catalog says what constraint %s means; answered generically", e.getConstraint());
        }
        return listed;
    }
}
