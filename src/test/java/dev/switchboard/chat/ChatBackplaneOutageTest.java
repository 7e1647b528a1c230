package dev.switchboard.chat;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URL;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.Management;
import dev.switchboard.support.ChatTestClient;
import dev.switchboard.support.IdentityTestResource;
import dev.switchboard.support.PostgresProxyTestResource;
import dev.switchboard.support.PostgresTestResource;
import dev.switchboard.support.TcpProxy;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The backplane through real outages: its database connections go through a proxy that the test
 * cuts (every connection closed, new ones refused) and restores, or its table is locked so that
 * heartbeats stall.
 */
@QuarkusTest
@TestProfile(ChatBackplaneOutageTest.BehindProxy.class)
class ChatBackplaneOutageTest {

    /** Heartbeats every 500 ms (a third of the replica timeout). */
    public static class BehindProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.chat.listener-grace", "1s", "switchboard.chat.replica-timeout", "1500ms");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            // The chat needs tokens: the tests' key pair, as the global resources give everyone else.
            return List.of(new TestResourceEntry(PostgresProxyTestResource.class), new TestResourceEntry(IdentityTestResource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    /** Injected by {@link PostgresProxyTestResource}. */
    TcpProxy proxy;

    @Inject
    ChatBackplane backplane;

    @TestHTTPResource("/")
    URL base;

    @Test
    void readinessIsDownWhileTheListenerIsAwayAndUpOnceItIsBack() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> "UP".equals(backplaneCheck().getString("status")));
        long subscriptions = backplane.subscriptions();

        proxy.cut();
        try {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                JsonPath check = backplaneCheck();
                assertThat(check.getString("status")).isEqualTo("DOWN");
                assertThat(check.getBoolean("data.listening")).isFalse();
                assertThat(check.getLong("data.disconnectedMillis")).isGreaterThan(1000);
            });
        } finally {
            proxy.restore();
        }
        String restored = databaseClock();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonPath check = backplaneCheck();
            assertThat(check.getString("status")).isEqualTo("UP");
            assertThat(check.getBoolean("data.listening")).isTrue();
        });
        assertThat(backplane.subscriptions()).as("subscriptions since start-up").isGreaterThan(subscriptions);
        // The heartbeats failed during the outage; one that failed must not keep the next from running.
        await().atMost(Duration.ofSeconds(10)).until(() -> heartbeatAfter(restored));

        String room = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        try (ChatTestClient ada = ChatTestClient.connect(base.getPort(), room, "ada");
                ChatTestClient bob = ChatTestClient.connect(base.getPort(), room, "bob")) {
            ada.welcome();
            bob.welcome();
            ada.say("back again");
            assertThat(bob.next("message").getString("text")).isEqualTo("back again");
        }
    }

    @Test
    void heartbeatsWaitForTheOneInFlightInsteadOfStackingUp() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> "UP".equals(backplaneCheck().getString("status")));
        try (Connection locker = database()) {
            locker.setAutoCommit(false);
            try (Statement lock = locker.createStatement()) {
                lock.execute("LOCK TABLE chat_replicas IN ACCESS EXCLUSIVE MODE");
            }
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> blockedHeartbeats() >= 1);
                // Four more ticks pass while the first heartbeat waits for the lock.
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> blockedHeartbeats() <= 1);
            } finally {
                locker.rollback();
            }
        }
        String released = databaseClock();
        await().atMost(Duration.ofSeconds(10)).until(() -> heartbeatAfter(released));
    }

    private static JsonPath backplaneCheck() {
        return Management.given().get("/q/health/ready").jsonPath().setRootPath("checks.find { it.name == 'chat-backplane' }");
    }

    private static Connection database() throws SQLException {
        Map<String, String> database = PostgresTestResource.database();
        return DriverManager.getConnection(database.get("quarkus.datasource.jdbc.url"),
                database.get("quarkus.datasource.username"), database.get("quarkus.datasource.password"));
    }

    private static String databaseClock() throws SQLException {
        try (Connection connection = database(); Statement statement = connection.createStatement();
                ResultSet now = statement.executeQuery("SELECT clock_timestamp()::text")) {
            now.next();
            return now.getString(1);
        }
    }

    /** Whether this replica's heartbeat row was refreshed by a heartbeat that started after the given time. */
    private boolean heartbeatAfter(String time) throws SQLException {
        try (Connection connection = database();
                PreparedStatement seen = connection.prepareStatement(
                        "SELECT seen_at > ?::timestamptz FROM chat_replicas WHERE id = ?")) {
            seen.setString(1, time);
            seen.setString(2, backplane.replica());
            try (ResultSet row = seen.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    private static int blockedHeartbeats() throws SQLException {
        try (Connection connection = database(); Statement statement = connection.createStatement();
                ResultSet count = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        + " AND query LIKE 'UPDATE chat_replicas SET seen_at%'")) {
            count.next();
            return count.getInt(1);
        }
    }
}
