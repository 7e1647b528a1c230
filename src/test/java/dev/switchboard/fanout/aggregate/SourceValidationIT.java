package dev.switchboard.fanout.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.PackagedApplication;

/** The packaged artifact refuses to start with a misconfigured fan-out source, naming its key. */
class SourceValidationIT {

    @Test
    void aSourceUrlThatIsNotHttpStopsStartUp() throws Exception {
        assertStartUpFails(Map.of("SWITCHBOARD_FANOUT_SOURCES__BROKEN__URL", "ftp://example.com/x"),
                "switchboard.fanout.sources.\"broken\".url");
    }

    @Test
    void aSourceTimeoutThatIsNotPositiveStopsStartUp() throws Exception {
        assertStartUpFails(Map.of("SWITCHBOARD_FANOUT_SOURCES__BROKEN__URL", "http://example.com/x",
                "SWITCHBOARD_FANOUT_SOURCES__BROKEN__TIMEOUT", "0s"),
                "switchboard.fanout.sources.\"broken\".timeout");
    }

    private static void assertStartUpFails(Map<String, String> source, String key) throws Exception {
        Map<String, String> environment = PackagedApplication.datasourceEnvironment();
        environment.putAll(source);
        try (PackagedApplication app = PackagedApplication.start(environment)) {
            assertThat(app.awaitExit(Duration.ofSeconds(90))).as("exit code").isNotZero();
            // Logs are JSON in the packaged artifact: the key's quotes come escaped.
            String output = String.join("\n", app.output()).replace("\\\"", "\"");
            assertThat(output).contains(key + " must be").doesNotContain("Listening on");
        }
    }
}
