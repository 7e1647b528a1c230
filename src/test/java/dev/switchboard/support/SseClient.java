package dev.switchboard.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A small Server-Sent Events client over a plain socket (HTTP/1.1, chunked or not), so a test controls the
 * connection exactly: it can read events one by one, and {@link #close()} drops the TCP connection mid-stream
 * like a browser tab being closed.
 */
public final class SseClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

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

    private final Socket socket;
    private final InputStream raw;
    private final int status;
    private final Map<String, String> headers;
    private final boolean chunked;
    private long chunkLeft;
    private long contentLeft;
    private boolean finished;

    private SseClient(Socket socket, InputStream raw, int status, Map<String, String> headers) {
        this.socket = socket;
        this.raw = raw;
        this.status = status;
        this.headers = headers;
        this.chunked = "chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""));
        this.contentLeft = headers.containsKey("content-length") ? Long.parseLong(headers.get("content-length")) : -1;
    }

    /** Sends {@code GET pathAndQuery} with the given Accept header and reads the status line and headers. */
    public static SseClient open(int port, String pathAndQuery, String accept) {
        try {
            Socket socket = new Socket("localhost", port);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nAccept: " + accept
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            String statusLine = line(in);
            if (statusLine == null) {
                throw new IOException("connection closed before any answer");
            }
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
            }
            return new SseClient(socket, in, status, headers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int status() {
        return status;
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The next event, or null when the stream ended; fails if none comes within {@code timeout}. */
    public Event next(Duration timeout) {
        try {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            String name = "message";
            StringBuilder data = null;
            for (String line = bodyLine(); line != null; line = bodyLine()) {
                if (line.isEmpty()) {
                    if (data != null) {
                        return new Event(name, data.toString(), System.nanoTime());
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
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no event within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        try {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int b = bodyByte(); b >= 0; b = bodyByte()) {
                all.write(b);
            }
            return all.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops the connection, as a client that goes away does. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already gone.
        }
    }

    private static String field(String line, String prefix) {
        String value = line.substring(prefix.length());
        return value.startsWith(" ") ? value.substring(1) : value;
    }

    private String bodyLine() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = bodyByte()) >= 0) {
            if (b == '\n') {
                String text = bytes.toString(StandardCharsets.UTF_8);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            bytes.write(b);
        }
        return bytes.size() == 0 ? null : bytes.toString(StandardCharsets.UTF_8);
    }

    // One byte of the body, undoing chunked transfer encoding; -1 at its end.
    private int bodyByte() throws IOException {
        if (finished) {
            return -1;
        }
        if (chunked) {
            if (chunkLeft == 0) {
                String size = line(raw);
                if (size != null && size.isEmpty()) {
                    size = line(raw); // the CRLF after the previous chunk
                }
                if (size == null) {
                    finished = true;
                    return -1;
                }
                chunkLeft = Long.parseLong(size.split(";")[0].trim(), 16);
                if (chunkLeft == 0) {
                    finished = true;
                    return -1;
                }
            }
            int b = raw.read();
            if (b < 0) {
                finished = true;
                return -1;
            }
            chunkLeft--;
            return b;
        }
        if (contentLeft == 0) {
            finished = true;
            return -1;
        }
        int b = raw.read();
        if (b < 0) {
            finished = true;
            return -1;
        }
        if (contentLeft > 0) {
            contentLeft--;
        }
        return b;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = bytes.toString(StandardCharsets.US_ASCII);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            bytes.write(b);
        }
        return bytes.size() == 0 ? null : bytes.toString(StandardCharsets.US_ASCII);
    }
}
