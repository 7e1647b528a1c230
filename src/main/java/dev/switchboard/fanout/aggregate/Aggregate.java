package dev.switchboard.fanout.aggregate;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a fan-out brought back: every source chosen, each with its outcome.
 *
 * @param complete true when every source was ok
 * @param elapsedMs wall time of the whole request, queueing included
 */
@RegisterForReflection
@Schema(requiredProperties = { "complete", "elapsedMs", "sources" })
public record Aggregate(boolean complete, long elapsedMs, List<SourceOutcome> sources) {

    @JsonIgnore
    public boolean anyOk() {
        return sources.stream().anyMatch(SourceOutcome::ok);
    }
}
