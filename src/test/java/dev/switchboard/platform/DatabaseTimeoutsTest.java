package dev.switchboard.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.HeldLock;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/** Every pooled connection carries bounded waits, and a request that runs into one is told to retry. */
@QuarkusTest
class DatabaseTimeoutsTest {

    @Inject
    Pool pool;

    @Test
    void pooledConnectionsCarryTheConfiguredTimeouts() {
        assertThat(setting("statement_timeout")).isEqualTo("5s");
        assertThat(setting("lock_timeout")).isEqualTo("2s");
        assertThat(setting("idle_in_transaction_session_timeout")).isEqualTo("10s");
    }

    @Test
    void aRequestBehindALockHeldElsewhereGets503WithinTheLockTimeout() throws Exception {
        long started;
        try (HeldLock lock = HeldLock.take(pool, "LOCK TABLE products IN ACCESS EXCLUSIVE MODE")) {
            started = System.nanoTime();
            given().get("/api/products")
                    .then().statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", equalTo("1"))
                    .body("detail", containsString("did not answer in time"));
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("the 2 s lock timeout, with a generous margin").isLessThan(Duration.ofSeconds(15));
        }
        given().get("/api/products").then().statusCode(200);
    }

    private String setting(String name) {
        return pool.query("SHOW " + name).execute().await().atMost(Duration.ofSeconds(10)).iterator().next().getString(0);
    }
}
