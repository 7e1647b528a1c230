package dev.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.PythonWebSockets;
import dev.switchboard.support.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/**
 * A client on a 4 KiB receive buffer that stops reading, in a room where 20 senders each send 15 messages
 * of about 2 KB per second (Python's {@code websockets} library, as a real client would be): it is closed
 * with 1013 once about {@code max-outbound-bytes} wait for it, the server's heap does not grow with its
 * backlog, and the other readers get every message.
 */
@QuarkusTest
@TestProfile(ChatSlowConsumerTest.QuietHeartbeat.class)
class ChatSlowConsumerTest {

    static final long MAX_OUTBOUND_BYTES = 1024 * 1024;
    static final int SECONDS = 20;

    /** Pings far apart, so the reader that stops is closed for its backlog, not for its silence. */
    public static class QuietHeartbeat implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The test samples the server's heap with System.gc() in the server's own JVM: each pause holds up
            // reading, and the senders' frames then arrive in bursts that the rate limit (not under test here)
            // would refuse. The limit is raised so that only the outbound bound decides.
            return Map.of("switchboard.chat.heartbeat-interval", "120s",
                    "switchboard.chat.rate-burst", "1000");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Test
    void aReaderThatStopsIsClosedWith1013AndNothingPilesUpForIt() throws Exception {
        PythonWebSockets.assumeInstalled();
        String room = "slow-" + UUID.randomUUID().toString().substring(0, 8);
        File output = File.createTempFile("slow-consumer", ".json");
        output.deleteOnExit();
        int senders = 20;
        JsonObject tokens = new JsonObject().put("slow", Tokens.chat("slow")).put("watcher", Tokens.chat("watcher"));
        for (int i = 0; i < senders; i++) {
            tokens.put("sender" + i, Tokens.chat("sender" + i));
        }
        ProcessBuilder script = new ProcessBuilder(PythonWebSockets.PYTHON, "src/test/python/slow_consumer_load.py",
                String.valueOf(base.getPort()), room, String.valueOf(SECONDS), String.valueOf(senders), "15", "1950")
                .redirectOutput(output).redirectError(ProcessBuilder.Redirect.INHERIT);
        script.environment().put("CHAT_TOKENS", tokens.encode());
        Process load = script.start();

        // The server's live heap while the load runs: without the bound the backlog grows by about
        // 600 KB a second, 12 MB over the run; with it, about 1 MiB waits until the close (1.4 to
        // 3.1 MB of growth measured in all, so the limit below leaves room for the rest of the heap).
        long heapBefore = usedHeapAfterGc();
        long maxHeapGrowth = 0;
        while (!load.waitFor(500, TimeUnit.MILLISECONDS)) {
            maxHeapGrowth = Math.max(maxHeapGrowth, usedHeapAfterGc() - heapBefore);
        }
        assertThat(load.exitValue()).as("load script exit status").isZero();
        JsonObject result = new JsonObject(Files.readString(output.toPath(), StandardCharsets.UTF_8).strip());

        assertThat(result.getInteger("slowCloseCode")).as("close code of the reader that stopped").isEqualTo(1013);
        assertThat(result.getString("slowCloseReason")).contains("slow consumer");
        // What reached it after it stopped: at most the bound plus what the kernel buffers held.
        assertThat(result.getLong("slowRead")).isLessThan(MAX_OUTBOUND_BYTES + 8 * 1024 * 1024);
        assertThat(maxHeapGrowth).as("server heap growth while the reader did not read")
                .isLessThan(6 * MAX_OUTBOUND_BYTES);

        // Every message was accepted and stored, and the watcher got each, once and in order.
        assertThat(result.getJsonArray("refused")).isEmpty();
        List<Object> acked = result.getJsonArray("acked").getList();
        assertThat(acked).hasSize(result.getInteger("sent"));
        assertThat(result.getJsonArray("watcherIds").getList()).isEqualTo(acked);
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
