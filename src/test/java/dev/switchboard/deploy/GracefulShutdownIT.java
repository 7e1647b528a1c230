package dev.switchboard.deploy;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.ChatTestClient;
import dev.switchboard.support.PackagedApplication;
import dev.switchboard.support.Tokens;

/**
 * SIGTERM on the packaged artifact: readiness turns DOWN first while the service still answers,
 * chat WebSockets are closed with 1001 (going away), a request that is in flight holds the exit
 * until it has been answered, then the process exits.
 */
class GracefulShutdownIT {

    /** Shorter than the packaged default to keep the test quick; set the way a platform would. */
    private static final Duration DELAY = Duration.ofSeconds(2);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void readinessTurnsDownThenInFlightRequestsFinishThenTheProcessExits() throws Exception {
        Map<String, String> environment = PackagedApplication.datasourceEnvironment();
        environment.put("QUARKUS_SHUTDOWN_DELAY", DELAY.toSeconds() + "s");
        try (PackagedApplication app = PackagedApplication.start(environment)) {
            int port = app.awaitPort(Duration.ofSeconds(90));
            int management = app.awaitManagementPort(Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(30)).until(() -> get(management, "/q/health/ready").statusCode() == 200);

            String email = "slow-" + UUID.randomUUID() + "@example.com";
            byte[] body = ("{\"name\":\"Slow Upload\",\"email\":\"" + email + "\"}").getBytes(UTF_8);
            String room = "shutdown-" + UUID.randomUUID().toString().substring(0, 8);
            try (ChatTestClient chatter = ChatTestClient.connect(port, room, "chatter");
                    Socket slow = new Socket("localhost", port)) {
                chatter.welcome();
                slow.setSoTimeout(30_000);
                OutputStream out = slow.getOutputStream();
                // The request has begun (headers and part of the body) when the platform stops the service.
                out.write(("POST /api/users HTTP/1.1\r\nHost: localhost:" + port + "\r\nContent-Type: application/json\r\n"
                        + "Authorization: Bearer " + Tokens.admin() + "\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(US_ASCII));
                out.write(body, 0, 10);
                out.flush();

                app.terminate();

                await().atMost(Duration.ofSeconds(10)).until(() -> get(management, "/q/health/ready").statusCode() == 503);
                HttpResponse<String> readiness = get(management, "/q/health/ready");
                assertThat(readiness.body()).contains("\"DOWN\"").contains("Graceful Shutdown");
                assertThat(app.isAlive()).isTrue();

                assertThat(chatter.awaitClose()).as("WebSocket close code").isEqualTo(1001);
                assertThat(app.isAlive()).isTrue();

                // Well past the delay the process still waits for the unfinished request.
                await().during(DELAY.plusSeconds(2)).atMost(DELAY.plusSeconds(3)).until(app::isAlive);

                out.write(body, 10, body.length - 10);
                out.flush();
                BufferedReader response = new BufferedReader(new InputStreamReader(slow.getInputStream(), UTF_8));
                assertThat(response.readLine()).isEqualTo("HTTP/1.1 201 Created");
                assertThat(rest(response)).contains("\"email\":\"" + email + "\"");
            }

            // 143 is the JVM's answer to SIGTERM (128 + 15); a native executable may answer 0.
            assertThat(app.awaitExit(Duration.ofSeconds(20))).as("exit code after SIGTERM").isIn(0, 143);
            assertThat(app.output()).anyMatch(line -> line.contains("stopped in"));
        }
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Headers and body of an HTTP/1.1 answer with a Content-Length. */
    private static String rest(BufferedReader response) throws IOException {
        StringBuilder text = new StringBuilder();
        int length = -1;
        String line;
        while ((line = response.readLine()) != null && !line.isEmpty()) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
            text.append(line).append('\n');
        }
        assertThat(length).as("Content-Length").isPositive();
        char[] body = new char[length];
        int read = 0;
        while (read < length) {
            int n = response.read(body, read, length - read);
            if (n < 0) {
                break;
            }
            read += n;
        }
        return text.append(body, 0, read).toString();
    }
}
