package dev.switchboard.platform;

/**
 * Names of the shared pieces of the OpenAPI document, defined once by {@link OpenApiDocument} and referenced
 * from the resources' annotations ({@code @APIResponse(responseCode = "404", ref = ApiDocs.NOT_FOUND)}).
 */
public final class ApiDocs {

    // Responses (components/responses), each an application/problem+json body.
    public static final String NOT_FOUND = "NotFound";
    public static final String CONFLICT = "Conflict";
    /** 503 while the database does not answer in time (statement or lock timeout, serialization failure). */
    public static final String DATABASE_UNAVAILABLE = "DatabaseUnavailable";
    public static final String ORDER_NOT_FOUND = "OrderReferenceNotFound";
    public static final String STOCK_SHORTAGE = "StockShortage";
    public static final String SOURCE_BAD_REQUEST = "SourceBadRequest";
    public static final String FANOUT_FAILED = "FanoutFailed";
    public static final String FANOUT_BUSY = "FanoutBusy";
    public static final String TOO_MANY_REQUESTS = "TooManyRequests";
    /** A valid token that may not do this (an operation whose token is optional states it itself). */
    public static final String FORBIDDEN = "Forbidden";

    // Headers (components/headers).
    public static final String LOCATION = "Location";
    public static final String ETAG = "ETag";
    public static final String FANOUT_COMPLETE = "X-Fanout-Complete";
    public static final String SERVER_TIMING = "Server-Timing";

    /** The bearer JWT security scheme (quarkus.smallrye-openapi.security-scheme-name). */
    public static final String BEARER = "bearer";

    // Request header parameters (components/parameters).
    public static final String IF_MATCH = "IfMatch";
    public static final String IDEMPOTENCY_KEY = "IdempotencyKey";

    private ApiDocs() {
    }
}
