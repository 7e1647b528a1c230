package dev.switchboard.data;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.switchboard.platform.Problem;
import dev.switchboard.platform.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Creates that a client can safely retry. With an {@code Idempotency-Key}, the key is claimed in the
 * create's own transaction, before the create: the key and what it created commit together, and a
 * retry (even one racing the first request) gets the first answer again instead of creating twice.
 * A create that fails (a 409 for missing stock, say) rolls its key back with it, so a retry runs again.
 */
@ApplicationScoped
public class IdempotentCreates {

    public static final String HEADER = "Idempotency-Key";
    private static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    // Field order fixed, so the same input always hashes the same, whatever order the client sent it in.
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    /** What a create made: its path, its version (null when not versioned) and the entity to answer with. */
    public record Created(String location, Long version, Object entity) {
    }

    private final Pool pool;
    private final IdempotencyKeys keys;
    private final ObjectMapper json;
    private final DataConfig config;

    IdempotentCreates(Pool pool, IdempotencyKeys keys, ObjectMapper json, DataConfig config) {
        this.pool = pool;
        this.keys = keys;
        this.json = json;
        this.config = config;
    }

    /**
     * Runs {@code create} in a transaction and answers 201. With a key ({@code endpoint} scopes it), a key
     * used before with the same validated input answers the stored answer again, with another input 422.
     */
    public Uni<Response> create(String endpoint, HttpHeaders headers, Object input, Function<SqlConnection, Uni<Created>> create) {
        // Read raw: the framework would pass an empty value on as no key at all.
        List<String> keyHeaders = headers.getRequestHeader(HEADER);
        if (keyHeaders.isEmpty()) {
            return pool.withTransaction(tx -> create.apply(tx).map(this::answer)).map(answer -> answer.response(false));
        }
        String key = keyHeaders.get(0);
        if (keyHeaders.size() > 1 || !VALID_KEY.matcher(key).matches()) {
            throw new ProblemException(Problem.of(400, "Bad Request",
                    "Send one " + HEADER + " of 1 to 255 visible ASCII characters (such as a UUID)"));
        }
        String hash = hash(input);
        return pool.withTransaction(tx -> keys.claim(tx, endpoint, key, hash, config.idempotencyKeyTtl())
                .flatMap(claimed -> claimed
                        ? create.apply(tx).map(this::answer)
                                .call(answer -> keys.answer(tx, endpoint, key, answer))
                                .map(answer -> answer.response(false))
                        : keys.find(tx, endpoint, key).map(used -> replay(used, hash))));
    }

    private static Response replay(IdempotencyKeys.Used used, String hash) {
        if (used == null) {
            // Expired and purged between the claim and this read: rare, and a retry claims it afresh.
            throw new ProblemException(Problem.of(503, "Service Unavailable", HEADER + " expired just now, please retry"), "1");
        }
        if (!used.requestHash().equals(hash)) {
            throw new ProblemException(Problem.of(422, "Unprocessable Content", HEADER
                    + " was already used on this endpoint with another request body; use a new key for a new request"));
        }
        return used.answer().response(true);
    }

    private StoredAnswer answer(Created created) {
        try {
            return new StoredAnswer(201, created.location(),
                    created.version() == null ? null : IfMatch.etag(created.version()),
                    json.writeValueAsString(created.entity()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + created.entity().getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static String hash(Object input) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(CANONICAL.writeValueAsBytes(input)));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot hash " + input.getClass().getSimpleName(), e);
        }
    }
}
