package dev.switchboard.fanout.stream;

import java.util.List;

/**
 * The payloads of the fan-out streams. Over SSE each is the JSON {@code data} of an event: the default
 * (unnamed, {@code message}) event for progress, and an event named {@code done} last, so a browser
 * {@code EventSource} knows to close instead of reconnecting.
 */
public final class StreamEvents {

    private StreamEvents() {
    }

    /** One tick of a countdown. */
    public record CountdownTick(String name, int n) {
    }

    /** One greeting: {@code kind} is {@code hello} or {@code goodbye}. */
    public record GreetingEvent(String name, String kind, String message, long atMs) {
    }

    /** The last event of every stream. */
    public record Done(List<String> names, long elapsedMs) {
    }
}
