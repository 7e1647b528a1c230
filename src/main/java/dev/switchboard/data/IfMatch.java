package dev.switchboard.data;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.RestResponse;

import dev.switchboard.platform.Problem;
import dev.switchboard.platform.ProblemException;
import io.smallrye.mutiny.Uni;

/**
 * Optimistic concurrency for users and products. Every write adds one to a row's {@code version}, which is
 * its strong ETag ({@code "3"}). PUT and DELETE must send {@code If-Match} with the ETag they read, or
 * {@code *}: a write based on a stale read is refused (412) instead of silently overwriting a change.
 */
final class IfMatch {

    // RFC 9110 entity-tag: optional W/, then etagc characters in double quotes.
    private static final String TAG = "\\s*(W/)?\"([\\x21\\x23-\\x7E\\x80-\\xFF]*)\"\\s*";
    private static final Pattern ONE_TAG = Pattern.compile(TAG);
    private static final Pattern TAG_LIST = Pattern.compile(TAG + "(?:," + TAG + ")*");

    private final Long[] versions;

    private IfMatch(Long[] versions) {
        this.versions = versions;
    }

    /** The versions a write may apply to; null for {@code *} (any version of an existing row). */
    Long[] versions() {
        return versions;
    }

    static String etag(long version) {
        return "\"" + version + "\"";
    }

    static <T> RestResponse<T> tagged(T entity, long version) {
        return RestResponse.ResponseBuilder.ok(entity).header(HttpHeaders.ETAG, etag(version)).build();
    }

    /**
     * The If-Match header of a write to {@code path}: 428 when absent, 400 when it is not {@code *} or a list of
     * entity tags (an empty value included: the framework would pass it on as absent).
     */
    static IfMatch parse(HttpHeaders headers, String path) {
        List<String> lines = headers.getRequestHeader(HttpHeaders.IF_MATCH);
        if (lines.isEmpty()) {
            throw new ProblemException(Problem.of(428, "Precondition Required", "Send If-Match with the ETag from GET "
                    + path + ", so that a change made since you read it is not overwritten (If-Match: * for any version)"));
        }
        String header = String.join(",", lines);
        if (header.strip().equals("*")) {
            return new IfMatch(null);
        }
        if (!TAG_LIST.matcher(header).matches()) {
            throw ProblemException.badRequest("If-Match must be * or a list of ETags such as \"3\", as sent in the ETag header");
        }
        // If-Match compares strongly: a weak tag or one that is no version of ours matches nothing (412).
        List<Long> versions = new ArrayList<>();
        Matcher tag = ONE_TAG.matcher(header);
        while (tag.find()) {
            if (tag.group(1) == null && tag.group(2).matches("[0-9]{1,18}")) {
                versions.add(Long.parseLong(tag.group(2)));
            }
        }
        return new IfMatch(versions.toArray(Long[]::new));
    }

    /**
     * Explains why a guarded write touched no row, with a second look at the row's current version:
     * 404 when it is gone, 412 when it has changed since the client read it.
     */
    static <T> Uni<T> refused(String what, long id, Supplier<Uni<Long>> currentVersion) {
        return currentVersion.get().map(version -> {
            if (version == null) {
                throw ProblemException.notFound(what, id);
            }
            throw new ProblemException(Problem.of(412, "Precondition Failed", what + " " + id
                    + " has changed since you read it (it is at version " + version + " now); GET it again and retry with its ETag")
                    .with("currentVersion", version).with("currentETag", etag(version)));
        });
    }
}
