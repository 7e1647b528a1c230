package dev.switchboard.fanout.aggregate;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * How one source's call ended: exactly one of ok, error or timeout. Times are milliseconds relative to
 * the start of the request that asked for it.
 *
 * @param status the upstream HTTP status when there was one
 * @param reason why it was not ok (null when ok)
 * @param attempts calls made, retries included
 * @param body the upstream JSON body when ok
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourceOutcome(String name, Outcome outcome, Integer status, String reason, int attempts,
        long startedAtMs, long elapsedMs, JsonNode body) {

    public enum Outcome {
        @JsonProperty("ok")
        OK,
        @JsonProperty("error")
        ERROR,
        @JsonProperty("timeout")
        TIMEOUT;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @JsonIgnore
    public boolean ok() {
        return outcome == Outcome.OK;
    }
}
