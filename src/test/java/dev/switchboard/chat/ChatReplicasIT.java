package dev.switchboard.chat;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.support.ChatTestClient;
import dev.switchboard.support.PackagedApplication;
import dev.switchboard.support.PostgresTestResource;
import dev.switchboard.support.Tokens;
import io.vertx.core.json.JsonObject;

/**
 * Two instances of the packaged service, as separate processes on one PostgreSQL, act as one chat:
 * messages and presence cross between them, a dead replica stops counting, and a stopped one says
 * goodbye with 1001. Runs in {@code ./mvnw verify}, after packaging, on the jar (and in CI on the native
 * executable as well).
 */
class ChatReplicasIT {

    private static Replica a;
    private static Replica b;

    record Replica(String name, Process process, int port, int managementPort) {
        String url(String path) {
            return "http://localhost:" + port + path;
        }

        String managementUrl(String path) {
            return "http://localhost:" + managementPort + path;
        }
    }

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        Map<String, String> database = PostgresTestResource.database();
        a = start("a", database);
        b = start("b", database);
        awaitReady(a);
        awaitReady(b);
    }

    @AfterAll
    static void stopReplicas() {
        for (Replica replica : new Replica[] { a, b }) {
            if (replica != null && replica.process.isAlive()) {
                replica.process.destroyForcibly();
            }
        }
    }

    @Test
    void twoReplicasActAsOneChat() throws Exception {
        String room = "replicas-" + UUID.randomUUID().toString().substring(0, 8);
        try (ChatTestClient alice = ChatTestClient.connect(a.port, room, "alice");
                ChatTestClient bob = connectAfterWelcome(alice, b.port, room, "bob")) {
            // Presence on both: bob's replica knows alice is there, and alice hears bob join (bob
            // connects after alice's welcome, so he cannot be in it already).
            assertThat(ChatTestClient.presentNames(bob.welcome())).containsExactly("alice", "bob");
            assertThat(alice.next("join").getString("name")).isEqualTo("bob");
            for (Replica replica : List.of(a, b)) {
                given().get(replica.url("/api/rooms")).then().statusCode(200)
                        .body("find { it.room == '" + room + "' }.online", org.hamcrest.Matchers.equalTo(2));
            }

            // Messages cross in both directions, once, with one id sequence.
            alice.say("from a");
            long first = alice.next("ack").getLong("id");
            JsonObject atBob = bob.next("message");
            assertThat(atBob.getLong("id")).isEqualTo(first);
            assertThat(atBob.getString("text")).isEqualTo("from a");
            bob.say("from b");
            long second = bob.next("ack").getLong("id");
            assertThat(second).isEqualTo(first + 1);
            assertThat(alice.next("message").getString("text")).isEqualTo("from b");
            assertThat(alice.messageIds()).containsExactly(second);
            assertThat(bob.messageIds()).containsExactly(first);

            // Replica b dies without a word: after the replica timeout it no longer counts.
            b.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            bob.awaitClose();
            assertThat(alice.next("leave").getString("name")).isEqualTo("bob");
            given().get(a.url("/api/rooms")).then().statusCode(200)
                    .body("find { it.room == '" + room + "' }.online", org.hamcrest.Matchers.equalTo(1));

            // Replica a is stopped while carol's messages are in flight: what was accepted is delivered
            // first, then its clients are told it is going away.
            try (ChatTestClient carol = ChatTestClient.connect(a.port, room, "carol")) {
                carol.welcome();
                alice.next("join");
                for (int i = 0; i < 10; i++) {
                    carol.say("last words " + i);
                }
                // Stop only once the first of them is acked: then at least one message is in flight or
                // done when SIGTERM lands, whatever the machine's load.
                carol.next("ack");
                a.process.destroy();
                assertThat(alice.awaitClose()).isEqualTo(1001);
                assertThat(alice.closeReason()).contains("shutting down");
                assertThat(carol.awaitClose()).isEqualTo(1001);
                List<Long> acked = carol.frames("ack").stream().map(f -> f.getLong("id")).toList();
                List<Long> received = alice.messageIds().stream().filter(id -> id > second).toList();
                assertThat(received).isEqualTo(acked);
                assertThat(acked).as("messages accepted before the shutdown began").isNotEmpty();
                assertThat(a.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    private static ChatTestClient connectAfterWelcome(ChatTestClient first, int port, String room, String name) {
        first.welcome();
        return ChatTestClient.connect(port, room, name);
    }

    private static Replica start(String name, Map<String, String> database) throws IOException {
        int port = freePort();
        int managementPort = freePort();
        List<String> options = new ArrayList<>();
        options.add("-Xmx256m");
        options.add("-Dquarkus.http.port=" + port);
        options.add("-Dquarkus.management.port=" + managementPort);
        database.forEach((key, value) -> options.add("-D" + key + "=" + value));
        options.add("-Dswitchboard.chat.replica-timeout=3s");
        PackagedApplication.identityProperties().forEach((key, value) -> options.add("-D" + key + "=" + value));
        List<String> command = PackagedApplication.command(options);
        File log = Path.of("target", "chat-replica-" + name + ".log").toFile();
        Files.deleteIfExists(log.toPath());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log)).start();
        return new Replica(name, process, port, managementPort);
    }

    private static void awaitReady(Replica replica) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertThat(replica.process.isAlive()).as("replica " + replica.name + " is running (see its log in target)")
                    .isTrue();
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(replica.managementUrl("/q/health/ready")))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("replica " + replica.name + " did not become ready");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
