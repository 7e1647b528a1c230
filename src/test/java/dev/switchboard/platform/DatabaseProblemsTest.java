package dev.switchboard.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

@QuarkusTest
class DatabaseProblemsTest {

    @Inject
    Pool pool;

    @Inject
    DatabaseProblems problems;

    // The inputs are checked before SQL; should text slip past a check, PostgreSQL's own refusal is still a 400.
    @Test
    void textPostgresqlRefusesIsABadRequestNotAServerError() {
        PgException refused = catchThrowableOfType(PgException.class, () -> pool.preparedQuery("SELECT $1::text")
                .execute(Tuple.of("a\u0000b")).await().atMost(Duration.ofSeconds(10)));
        assertThat(refused.getSqlState()).isEqualTo("22021");

        Response response = problems.database(refused);

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getMediaType()).hasToString(Problem.MEDIA_TYPE);
        assertThat(((Problem) response.getEntity()).detail()).contains("0x00");
    }
}
