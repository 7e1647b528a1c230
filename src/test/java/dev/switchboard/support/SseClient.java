package dev.switchboard.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A small Server-Sent Events client on the JDK's HTTP client (HTTP/1.1, one connection per stream): a test
 * reads events one by one, and {@link #close()} closes the body before its end, which drops the connection
 * mid-stream like a browser tab being closed.
 */
public final class SseClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    // Marks the end of the stream in the line queue.
    private static final Optional<String> END = Optional.empty();

    /** One event: {@code name} is {@code message} when the server named none. */
    public record Event(String name, String data, long receivedAtNanos) {
        public JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (IOException e) {
                throw new UncheckedIOException("event data is not JSON: " + data, e);
            }
        }
    }

    private final String path;
    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Optional<String>> lines = new LinkedBlockingQueue<>();
    private Thread reader;
    private boolean ended;

    private SseClient(String path, HttpResponse<InputStream> response) {
        this.path = path;
        this.response = response;
    }

    /** Sends {@code GET pathAndQuery} with the given Accept header and waits for the status line and headers. */
    public static SseClient open(int port, String pathAndQuery, String accept) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
                .header("Accept", accept).timeout(Duration.ofSeconds(10)).GET().build();
        try {
            return new SseClient(URI.create(pathAndQuery).getPath(), CLIENT.send(request, BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** The next event, or null when the stream ended; fails if none comes within {@code timeout}. */
    public Event next(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String name = "message";
        StringBuilder data = null;
        for (String line = line(deadline, timeout); line != null; line = line(deadline, timeout)) {
            if (line.isEmpty()) {
                if (data != null) {
                    return documented(new Event(name, data.toString(), System.nanoTime()));
                }
                name = "message";
            } else if (line.startsWith("event:")) {
                name = field(line, "event:");
            } else if (line.startsWith("data:")) {
                data = data == null ? new StringBuilder() : data.append('\n');
                data.append(field(line, "data:"));
            }
        }
        return null;
    }

    // Every event's data holds exactly the fields the README lists for it.
    private Event documented(Event event) {
        Set<String> fields = new TreeSet<>();
        event.json().fieldNames().forEachRemaining(fields::add);
        List<String> problems = DocumentedProtocol.streamEvent(path, event.name(), fields);
        if (!problems.isEmpty()) {
            throw new AssertionError("SSE event " + event + " on " + path + " differs from the README: " + problems);
        }
        return event;
    }

    /** Every event until the server ends the stream. */
    public List<Event> readAll(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Event> events = new ArrayList<>();
        for (Event event = next(timeout); event != null; event = next(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())))) {
            events.add(event);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("stream still open after " + timeout.toMillis() + " ms; got " + events);
            }
        }
        return events;
    }

    /** The whole body as text, for answers that are not streams (a problem, say). */
    public String body() {
        try (InputStream in = response.body()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the body before its end: the JDK client drops an HTTP/1.1 connection it cannot reuse. */
    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // Already gone.
        }
        if (reader != null) {
            reader.interrupt();
        }
    }

    private static String field(String line, String prefix) {
        String value = line.substring(prefix.length());
        return value.startsWith(" ") ? value.substring(1) : value;
    }

    // The next body line; null at the end of the stream. A reading thread feeds the queue, so that a wait
    // for a line can time out (the body's InputStream has no read timeout of its own).
    private String line(long deadlineNanos, Duration timeout) {
        if (ended) {
            return null;
        }
        if (reader == null) {
            reader = new Thread(this::readLines, "sse-client-reader");
            reader.setDaemon(true);
            reader.start();
        }
        try {
            Optional<String> line = lines.poll(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no event within " + timeout.toMillis() + " ms");
            }
            if (line.isEmpty()) {
                ended = true;
                return null;
            }
            return line.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void readLines() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(Optional.of(line));
            }
        } catch (IOException e) {
            // Closed by close(), or dropped by the server: either way the stream is over.
        } finally {
            lines.add(END);
        }
    }
}
