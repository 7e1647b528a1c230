package dev.switchboard.fanout.stream;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The payloads of the fan-out streams. Over SSE each is the JSON {@code data} of an event: the default
 * (unnamed, {@code message}) event for progress, and an event named {@code done} last, so a browser
 * {@code EventSource} knows to close instead of reconnecting.
 */
public final class StreamEvents {

    private StreamEvents() {
    }

    /**
     * An event of a stream. Each one is a record registered for reflection, so the native executable can
     * write it (PayloadRegistrationTest checks every implementation).
     */
    public interface StreamEvent {
    }

    /** One tick of a countdown. */
    @RegisterForReflection
    public record CountdownTick(String name, int n) implements StreamEvent {
    }

    /** One greeting: {@code kind} is {@code hello} or {@code goodbye}. */
    @RegisterForReflection
    public record GreetingEvent(String name, String kind, String message, long atMs) implements StreamEvent {
    }

    /** The last event of every stream. */
    @RegisterForReflection
    public record Done(List<String> names, long elapsedMs) implements StreamEvent {
    }
}
