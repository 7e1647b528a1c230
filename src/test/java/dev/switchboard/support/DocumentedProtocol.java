package dev.switchboard.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.quarkus.test.junit.callback.QuarkusTestAfterAllCallback;
import io.quarkus.test.junit.callback.QuarkusTestContext;

/**
 * Holds the README's description of the WebSocket frames and the SSE events against what the tests receive.
 * The README's tables list, per frame type (chat) or per event and stream (SSE), the fields a client gets; a
 * field followed by "(when ...)" or "(only when ...)" may be absent. {@link ChatTestClient} and
 * {@link SseClient} check every frame and event they receive: a field the README does not list, or a listed
 * field missing, fails the test class when it ends (frames arrive on the client's own thread). Registered for
 * every class through JUnit's extension auto-detection and, for a {@code @QuarkusTest}, which runs in the
 * application's class loader, as a Quarkus test callback.
 */
public final class DocumentedProtocol implements AfterAllCallback, QuarkusTestAfterAllCallback {

    /** A documented shape: the fields always present and those that may be absent. */
    record Fields(Set<String> always, Set<String> sometimes) {

        List<String> problems(Set<String> keys) {
            List<String> problems = new ArrayList<>();
            always.stream().filter(f -> !keys.contains(f)).forEach(f -> problems.add("missing '" + f + "'"));
            keys.stream().filter(k -> !always.contains(k) && !sometimes.contains(k))
                    .forEach(k -> problems.add("undocumented '" + k + "'"));
            return problems;
        }
    }

    private static final Path README = Path.of("README.md");
    private static final Pattern FIELD = Pattern.compile("`([A-Za-z]+)`");
    private static final List<String> VIOLATIONS = new CopyOnWriteArrayList<>();
    private static volatile Map<String, Fields> chatFrames;
    private static volatile Map<String, Fields> streamEvents;

    @Override
    public void afterAll(ExtensionContext context) {
        failOnViolations(context.getDisplayName());
    }

    @Override
    public void afterAll(QuarkusTestContext context) {
        failOnViolations(context.getTestInstance().getClass().getSimpleName());
    }

    private static void failOnViolations(String testClass) {
        if (!VIOLATIONS.isEmpty()) {
            List<String> seen = List.copyOf(VIOLATIONS);
            VIOLATIONS.clear();
            throw new AssertionError(seen.size() + " frame(s) or event(s) during " + testClass
                    + " differ from the README:\n" + String.join("\n", seen.subList(0, Math.min(10, seen.size()))));
        }
    }

    /** Checks a chat frame (by its {@code type}) and the messages of a welcome's history. */
    public static void chatFrame(Map<String, Object> frame) {
        String type = String.valueOf(frame.get("type"));
        Fields fields = chatFrames().get(type);
        if (fields == null) {
            VIOLATIONS.add("chat frame of undocumented type '" + type + "': " + frame);
            return;
        }
        Set<String> keys = new TreeSet<>(frame.keySet());
        keys.remove("type");
        record(fields.problems(keys), "chat " + type + " frame", frame);
        if (frame.get("history") instanceof List<?> history) {
            for (Object message : history) {
                if (message instanceof Map<?, ?> m) {
                    Set<String> messageKeys = new TreeSet<>();
                    m.keySet().forEach(k -> messageKeys.add(String.valueOf(k)));
                    messageKeys.remove("type");
                    record(chatFrames().get("message").problems(messageKeys), "message in a welcome's history", m);
                }
            }
        }
    }

    /** Checks the JSON data of an SSE event named {@code event} ({@code message} when unnamed) on {@code path}. */
    public static List<String> streamEvent(String path, String event, Set<String> keys) {
        Fields fields = streamEvents().get(event + " " + path);
        if (fields == null) {
            fields = streamEvents().get(event + " *");
        }
        return fields == null ? List.of("undocumented event '" + event + "' on " + path) : fields.problems(keys);
    }

    private static void record(List<String> problems, String what, Object frame) {
        if (!problems.isEmpty()) {
            VIOLATIONS.add(what + ": " + String.join(", ", problems) + " in " + frame);
        }
    }

    static Map<String, Fields> chatFrames() {
        if (chatFrames == null) {
            Map<String, Fields> byType = new HashMap<>();
            for (String[] row : table("| type | fields | when |")) {
                Fields fields = fields(row[1]);
                names(row[0]).forEach(type -> byType.put(type, fields));
            }
            chatFrames = byType;
        }
        return chatFrames;
    }

    static Map<String, Fields> streamEvents() {
        if (streamEvents == null) {
            Map<String, Fields> byEvent = new HashMap<>();
            for (String[] row : table("| event | streams | data fields |")) {
                Set<String> event = names(row[0]);
                String name = event.isEmpty() ? "message" : event.iterator().next();
                Matcher paths = Pattern.compile("`(/[^`]+)`").matcher(row[1]);
                boolean any = false;
                while (paths.find()) {
                    byEvent.put(name + " " + paths.group(1), fields(row[2]));
                    any = true;
                }
                if (!any) {
                    byEvent.put(name + " *", fields(row[2]));
                }
            }
            streamEvents = byEvent;
        }
        return streamEvents;
    }

    // The backticked names of a cell, e.g. "`join` / `leave`".
    private static Set<String> names(String cell) {
        Set<String> names = new LinkedHashSet<>();
        Matcher name = FIELD.matcher(cell);
        while (name.find()) {
            names.add(name.group(1));
        }
        return names;
    }

    // "`a`, `b` (anything, even commas), `c` (when ...)": names outside parentheses; "(when" or "(only when" after one makes it optional.
    static Fields fields(String cell) {
        Set<String> always = new LinkedHashSet<>();
        Set<String> sometimes = new LinkedHashSet<>();
        int depth = 0;
        String last = null;
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (c == '(') {
                if (depth == 0 && last != null && (cell.startsWith("when", i + 1) || cell.startsWith("only when", i + 1))) {
                    always.remove(last);
                    sometimes.add(last);
                }
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '`' && depth == 0) {
                int end = cell.indexOf('`', i + 1);
                last = cell.substring(i + 1, end);
                always.add(last);
                i = end;
            } else if (c == ',') {
                last = null;
            }
        }
        return new Fields(always, sometimes);
    }

    // The rows (cells, trimmed) of the README table that starts with this header line.
    private static List<String[]> table(String header) {
        List<String> lines;
        try {
            lines = Files.readAllLines(README);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int start = lines.indexOf(header);
        if (start < 0) {
            throw new IllegalStateException("README.md has no table headed " + header);
        }
        List<String[]> rows = new ArrayList<>();
        for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).substring(1).split(" \\|");
            for (int c = 0; c < cells.length; c++) {
                cells[c] = cells[c].trim();
            }
            rows.add(cells);
        }
        return rows;
    }
}
