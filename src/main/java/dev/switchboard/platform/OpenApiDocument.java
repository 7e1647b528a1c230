package dev.switchboard.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Completes the OpenAPI document at build time with what every resource shares: the problem+json bodies,
 * the headers and the request header parameters named in {@link ApiDocs}, and the answers that come from
 * the platform rather than from a resource (bad input, body limits, media types, preconditions, failures).
 * Resources document what is theirs (their 2xx, 404, 409...) with annotations.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class OpenApiDocument implements OASFilter {

    private static final String SCHEMAS = "#/components/schemas/";
    private static final String RESPONSES = "#/components/responses/";
    private static final String HEADERS = "#/components/headers/";
    private static final String PARAMETERS = "#/components/parameters/";

    private static final String BAD_REQUEST = "BadRequest";
    private static final String NOT_ACCEPTABLE = "NotAcceptable";
    private static final String PRECONDITION_FAILED = "PreconditionFailed";
    private static final String PRECONDITION_REQUIRED = "PreconditionRequired";
    private static final String CONTENT_TOO_LARGE = "ContentTooLarge";
    private static final String UNSUPPORTED_MEDIA_TYPE = "UnsupportedMediaType";
    private static final String KEY_REUSED = "IdempotencyKeyReused";
    private static final String INTERNAL_ERROR = "InternalError";
    private static final String URI_TOO_LONG = "UriTooLong";
    private static final String HEADERS_TOO_LARGE = "HeadersTooLarge";
    private static final String UNAUTHORIZED = "Unauthorized";
    private static final String FORBIDDEN = ApiDocs.FORBIDDEN;
    private static final String WWW_AUTHENTICATE = "WWW-Authenticate";
    private static final String REPLAYED = "Idempotent-Replayed";
    private static final String RETRY_AFTER = "Retry-After";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents() == null ? OASFactory.createComponents() : openAPI.getComponents();
        openAPI.setComponents(components);
        schemas(components);
        headers(components);
        parameters(components);
        responses(components);
        if (openAPI.getPaths() != null) {
            openAPI.getPaths().getPathItems().values().forEach(path -> path.getOperations().values().forEach(this::platformAnswers));
        }
        // The Java types of the SSE methods, described by the event stream schema instead.
        components.removeSchema("OutboundSseEvent");
        components.removeSchema("MediaType");
    }

    /** The answers any operation may get from the platform, by what the operation takes. */
    private void platformAnswers(Operation operation) {
        APIResponses responses = operation.getResponses();
        boolean body = operation.getRequestBody() != null;
        List<Parameter> parameters = operation.getParameters() == null ? List.of() : operation.getParameters();
        if (body || !parameters.isEmpty()) {
            addIfAbsent(responses, "400", BAD_REQUEST);
        }
        if (body) {
            addIfAbsent(responses, "413", CONTENT_TOO_LARGE);
            addIfAbsent(responses, "415", UNSUPPORTED_MEDIA_TYPE);
        }
        if (takes(parameters, ApiDocs.IF_MATCH)) {
            addIfAbsent(responses, "412", PRECONDITION_FAILED);
            addIfAbsent(responses, "428", PRECONDITION_REQUIRED);
        }
        if (takes(parameters, ApiDocs.IDEMPOTENCY_KEY)) {
            addIfAbsent(responses, "422", KEY_REUSED);
            APIResponse created = responses.getAPIResponse("201");
            if (created != null) {
                created.addHeader(REPLAYED, OASFactory.createHeader().ref(HEADERS + REPLAYED));
            }
        }
        security(operation);
        addIfAbsent(responses, "406", NOT_ACCEPTABLE);
        addIfAbsent(responses, "414", URI_TOO_LONG);
        addIfAbsent(responses, "431", HEADERS_TOO_LARGE);
        addIfAbsent(responses, "500", INTERNAL_ERROR);
        responses.getAPIResponses().values().forEach(OpenApiDocument::eventStreamAsText);
    }

    /**
     * Quarkus gives the operations of {@code @RolesAllowed} and {@code @Authenticated} methods a bearer requirement
     * (and bare 401 and 403 answers, replaced here by problems); an optional one (an empty alternative) can only
     * be refused for an invalid token, unless the operation states a 403 itself (a private room's history). Public
     * operations say so with an empty list.
     */
    private static void security(Operation operation) {
        List<SecurityRequirement> requirements = operation.getSecurity();
        if (requirements == null || requirements.isEmpty()) {
            operation.setSecurity(new ArrayList<>());
            return;
        }
        boolean optional = requirements.stream().anyMatch(r -> r.getSchemes() == null || r.getSchemes().isEmpty());
        APIResponses responses = operation.getResponses();
        responses.addAPIResponse("401", OASFactory.createAPIResponse().ref(RESPONSES + UNAUTHORIZED));
        APIResponse forbidden = responses.getAPIResponse("403");
        if (optional && (forbidden == null || !(RESPONSES + FORBIDDEN).equals(forbidden.getRef()))) {
            responses.removeAPIResponse("403");
        } else if (!optional) {
            responses.addAPIResponse("403", OASFactory.createAPIResponse().ref(RESPONSES + FORBIDDEN));
        }
    }

    private static boolean takes(List<Parameter> parameters, String component) {
        return parameters.stream().anyMatch(p -> (PARAMETERS + component).equals(p.getRef()));
    }

    private static void addIfAbsent(APIResponses responses, String status, String component) {
        if (!responses.hasAPIResponse(status)) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().ref(RESPONSES + component));
        }
    }

    // The scanner describes an SSE method's Java type; on the wire it is a text/event-stream of JSON data events.
    private static void eventStreamAsText(APIResponse response) {
        if (response.getContent() != null && response.getContent().hasMediaType("text/event-stream")) {
            response.getContent().getMediaType("text/event-stream").setSchema(OASFactory.createSchema()
                    .addType(SchemaType.STRING)
                    .description("Server-Sent Events: progress events without a name, then one event named done;"
                            + " each data line is a JSON object (see the README's Streams section)"));
        }
    }

    private static void schemas(Components components) {
        components.addSchema("Problem", problem("An RFC 9457 problem detail", Map.of()));
        components.addSchema("Violation", object("One invalid input", Map.of(
                "field", string("The field or parameter, e.g. email or items[0].quantity"),
                "message", string("What is wrong with it")), "field", "message"));
        Schema violations = array(ref("Violation")).description("Each invalid field or parameter and why");
        components.addSchema("ValidationProblem", problem("The request is invalid; violations, when present, name each"
                + " field or parameter", Map.of("violations", violations)));
        components.addSchema("SourceProblem", problem("A bad fan-out parameter; unknownSources names the source names"
                + " that are not configured", Map.of(
                "violations", violations,
                "unknownSources", array(string(null)).description("The source names that are not configured"))));
        components.addSchema("ConflictProblem", problem("The request conflicts with stored data; resource and field say"
                + " which", Map.of(
                "resource", string("What the conflict is about: user or product"),
                "field", string("The field whose value conflicts (email), when one value is the cause"))));
        components.addSchema("StaleWriteProblem", problem("The row has changed since it was read", Map.of(
                "currentVersion", integer("int64", "The row's version now"),
                "currentETag", string("The row's ETag now, for the next If-Match")),
                "currentVersion", "currentETag"));
        components.addSchema("OrderReferenceProblem", problem("The order names a user or product that does not exist",
                Map.of("missingProductIds", array(integer("int64", null)).description("Every product id that does not exist"))));
        components.addSchema("Shortage", object("A product without enough stock", Map.of(
                "productId", integer("int64", null),
                "requested", integer("int32", "Quantity ordered, summed over the order's lines"),
                "available", integer("int32", "Stock left")), "productId", "requested", "available"));
        components.addSchema("StockShortageProblem", problem("Not enough stock; nothing was changed", Map.of(
                "shortages", array(ref("Shortage"))), "shortages"));
        components.addSchema("FanoutFailureProblem", problem("No source answered successfully", Map.of(
                "complete", OASFactory.createSchema().addType(SchemaType.BOOLEAN).addEnumeration(false),
                "elapsedMs", integer("int64", "Wall time of the whole request"),
                "sources", array(ref("SourceOutcome")).description("Every source chosen, with its outcome")),
                "complete", "elapsedMs", "sources"));
        components.addSchema("FanoutBusyProblem", problem("Too many upstream calls in flight; retry after Retry-After",
                Map.of("maxInFlight", integer("int32", "The bound on upstream calls in flight")), "maxInFlight"));
    }

    private static void headers(Components components) {
        components.addHeader(ApiDocs.LOCATION, header("Where the created resource is", true,
                string(null).format("uri-reference")));
        components.addHeader(ApiDocs.ETAG, header("The version as a strong entity tag, for If-Match", true,
                string(null).pattern("^\"[0-9]+\"$")));
        components.addHeader(REPLAYED, header("Present when this is the stored answer to an earlier request with the"
                + " same Idempotency-Key (nothing was created this time)", false, string(null).addEnumeration("true")));
        components.addHeader(RETRY_AFTER, header("Seconds to wait before retrying", true,
                integer("int32", null).minimum(java.math.BigDecimal.ZERO)));
        components.addHeader(WWW_AUTHENTICATE, header("Bearer, with error=\"invalid_token\" when the token sent is not"
                + " valid (RFC 6750)", true, string(null).pattern("^Bearer")));
        components.addHeader(ApiDocs.FANOUT_COMPLETE, header("true when every source was ok", true,
                string(null).addEnumeration("true").addEnumeration("false")));
        components.addHeader(ApiDocs.SERVER_TIMING, header("One entry per source: name;dur=<ms>;desc=\"<outcome>\"", true,
                string(null)));
    }

    private static void parameters(Components components) {
        components.addParameter(ApiDocs.IF_MATCH, OASFactory.createParameter().name("If-Match")
                .in(Parameter.In.HEADER).required(true)
                .description("The ETag read with GET (a list of them, or * for any version). Without it 428;"
                        + " stale 412; malformed 400")
                .schema(string(null).minLength(1)));
        components.addParameter(ApiDocs.IDEMPOTENCY_KEY, OASFactory.createParameter().name("Idempotency-Key")
                .in(Parameter.In.HEADER).required(false)
                .description("Makes the create safe to retry: the same key and body get the first answer again"
                        + " (Idempotent-Replayed: true); the same key with another body 422. 1 to 255 visible ASCII"
                        + " characters, such as a UUID")
                .schema(string(null).minLength(1).maxLength(255).pattern("^[\\x21-\\x7E]+$")));
    }

    private static void responses(Components components) {
        components.addResponse(BAD_REQUEST, problemResponse("Invalid input: detail says what is wrong", "ValidationProblem"));
        components.addResponse(ApiDocs.NOT_FOUND, problemResponse("No such resource", "Problem"));
        components.addResponse(NOT_ACCEPTABLE, problemResponse("The Accept header allows nothing this operation produces",
                "Problem"));
        components.addResponse(ApiDocs.CONFLICT, problemResponse("Conflicts with stored data: a value another resource"
                + " already has, or a resource others still refer to", "ConflictProblem"));
        components.addResponse(PRECONDITION_FAILED, problemResponse("If-Match names a version that is not current;"
                + " GET again and retry with its ETag", "StaleWriteProblem"));
        components.addResponse(PRECONDITION_REQUIRED, problemResponse("If-Match is missing", "Problem"));
        components.addResponse(CONTENT_TOO_LARGE, problemResponse("The body is over the limit (64 KiB by default), sent"
                + " with a length (refused before it is read) or chunked (read up to the limit)", "Problem"));
        components.addResponse(UNSUPPORTED_MEDIA_TYPE, problemResponse("The body is not application/json", "Problem"));
        components.addResponse(KEY_REUSED, problemResponse("The Idempotency-Key was used on this endpoint with another"
                + " body", "Problem"));
        components.addResponse(UNAUTHORIZED, problemResponse("No bearer token, or one that is not valid (expired, wrong"
                + " issuer, audience or signature)", "Problem")
                .addHeader(WWW_AUTHENTICATE, headerRef(WWW_AUTHENTICATE)));
        components.addResponse(FORBIDDEN, problemResponse("The token is valid but does not allow this request (its role,"
                + " or it is not the owner's)", "Problem"));
        // Answered by the HTTP server's codec before any handler runs (quarkus.http.limits.*), so without a body.
        components.addResponse(URI_TOO_LONG, OASFactory.createAPIResponse().description("The request line is over 4 KiB"
                + " (quarkus.http.limits.max-initial-line-length); no body"));
        components.addResponse(HEADERS_TOO_LARGE, OASFactory.createAPIResponse().description("The headers are over 20 KiB"
                + " (quarkus.http.limits.max-header-size); no body"));
        components.addResponse(INTERNAL_ERROR, problemResponse("An unexpected failure (logged by the service)", "Problem"));
        components.addResponse(ApiDocs.DATABASE_UNAVAILABLE, problemResponse("The database did not answer in time, or a"
                + " concurrent update got in the way; nothing was changed, retry after Retry-After", "Problem")
                .addHeader(RETRY_AFTER, headerRef(RETRY_AFTER)));
        components.addResponse(ApiDocs.ORDER_NOT_FOUND, problemResponse("The user or a product of the order does not"
                + " exist", "OrderReferenceProblem"));
        components.addResponse(ApiDocs.STOCK_SHORTAGE, problemResponse("Not enough stock for some products; nothing was"
                + " changed", "StockShortageProblem"));
        components.addResponse(ApiDocs.SOURCE_BAD_REQUEST, problemResponse("A bad parameter or an unknown source name",
                "SourceProblem"));
        components.addResponse(ApiDocs.FANOUT_FAILED, problemResponse("No source answered successfully", "FanoutFailureProblem")
                .addHeader(ApiDocs.FANOUT_COMPLETE, headerRef(ApiDocs.FANOUT_COMPLETE))
                .addHeader(ApiDocs.SERVER_TIMING, headerRef(ApiDocs.SERVER_TIMING)));
        components.addResponse(ApiDocs.TOO_MANY_REQUESTS, problemResponse("Too many requests from this client address;"
                + " retry after Retry-After", "Problem").addHeader(RETRY_AFTER, headerRef(RETRY_AFTER)));
        components.addResponse(ApiDocs.FANOUT_BUSY, problemResponse("Too many upstream calls in flight and no slot freed"
                + " in time", "FanoutBusyProblem")
                .addHeader(RETRY_AFTER, headerRef(RETRY_AFTER)));
    }

    private static APIResponse problemResponse(String description, String schema) {
        Content content = OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(ref(schema)));
        return OASFactory.createAPIResponse().description(description).content(content);
    }

    // Problem members plus extension members; required: the standard ones always present, and those named.
    private static Schema problem(String description, Map<String, Schema> extensions, String... requiredExtensions) {
        Schema problem = object(description, Map.of(
                "type", string("A URI reference naming the kind of problem; about:blank for the plain HTTP status"),
                "title", string("The HTTP status' reason phrase"),
                "status", integer("int32", "The HTTP status code"),
                "detail", string("What is wrong, for a person to read")), "type", "title", "status");
        extensions.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> problem.addProperty(e.getKey(), e.getValue()));
        for (String name : requiredExtensions) {
            problem.addRequired(name);
        }
        return problem;
    }

    private static Schema object(String description, Map<String, Schema> properties, String... required) {
        Schema object = OASFactory.createSchema().addType(SchemaType.OBJECT).description(description);
        properties.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> object.addProperty(e.getKey(), e.getValue()));
        for (String name : required) {
            object.addRequired(name);
        }
        return object;
    }

    private static Header header(String description, boolean required, Schema schema) {
        return OASFactory.createHeader().description(description).required(required).schema(schema);
    }

    private static Header headerRef(String name) {
        return OASFactory.createHeader().ref(HEADERS + name);
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().addType(SchemaType.STRING).description(description);
    }

    private static Schema integer(String format, String description) {
        return OASFactory.createSchema().addType(SchemaType.INTEGER).format(format).description(description);
    }

    private static Schema array(Schema items) {
        return OASFactory.createSchema().addType(SchemaType.ARRAY).items(items);
    }

    private static Schema ref(String schema) {
        return OASFactory.createSchema().ref(SCHEMAS + schema);
    }
}
