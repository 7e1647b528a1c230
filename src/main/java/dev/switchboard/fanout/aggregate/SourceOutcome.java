package dev.switchboard.fanout.aggregate;

import java.util.Locale;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * How one source's call ended: exactly one outcome. Times are milliseconds relative to the start of
 * the request that asked for it.
 *
 * @param status the upstream HTTP status when there was one
 * @param reason why it was not ok (null when ok or cached)
 * @param attempts upstream calls made for this request, retries and hedges included (0 when cached or circuit-open)
 * @param body the upstream JSON body when ok or cached
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(requiredProperties = { "name", "outcome", "attempts", "startedAtMs", "elapsedMs" })
public record SourceOutcome(String name, Outcome outcome, Integer status, String reason, int attempts,
        long startedAtMs, long elapsedMs,
        @Schema(description = "The upstream's JSON body, any JSON value", implementation = Object.class) JsonNode body) {

    @RegisterForReflection
    @Schema(enumeration = { "ok", "cached", "error", "timeout", "circuit-open" })
    public enum Outcome {
        @JsonProperty("ok")
        OK,
        /** An ok answer shared with another request: from the cache, or a call already in flight. */
        @JsonProperty("cached")
        CACHED,
        @JsonProperty("error")
        ERROR,
        @JsonProperty("timeout")
        TIMEOUT,
        /** The source failed too often lately and was not called. */
        @JsonProperty("circuit-open")
        CIRCUIT_OPEN;

        /** The name used in JSON, metrics and Server-Timing. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    @JsonIgnore
    public boolean ok() {
        return outcome == Outcome.OK || outcome == Outcome.CACHED;
    }

    /** This outcome as another request sharing the call sees it: made no call itself, ok answers are cached. */
    SourceOutcome seenBy(long startedAtMs, long elapsedMs) {
        return new SourceOutcome(name, ok() ? Outcome.CACHED : outcome, status, reason, 0, startedAtMs, elapsedMs, body);
    }
}
