package dev.switchboard.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.ApiOperation;
import com.atlassian.oai.validator.model.Body;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.RestAssuredRequest;
import com.atlassian.oai.validator.restassured.RestAssuredResponse;

import io.quarkus.test.junit.callback.QuarkusTestAfterAllCallback;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestContext;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.authentication.PreemptiveOAuth2HeaderScheme;
import io.restassured.filter.FilterContext;
import io.restassured.filter.OrderedFilter;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.core.models.ParseOptions;

/**
 * The contract test: every answer that a test gets from the service under test through RestAssured is checked
 * against the OpenAPI document the service itself serves ({@code /q/openapi}), with Atlassian's
 * swagger-request-validator. Installed for every test class through JUnit's extension auto-detection, so the
 * good and bad requests of all HTTP tests ({@code @QuarkusTest} and their {@code @QuarkusIntegrationTest}
 * twins on the packaged artifact) are contract checks too.
 * <p>
 * A test fails (at the request, and again when its class ends, in case the request ran where an exception is
 * swallowed) when:
 * <ul>
 * <li>the answer contradicts the document: an undocumented status, a body or content type that does not match
 * its schema (fields the schema does not list included), a required header missing;</li>
 * <li>the answer carries one of {@link #DOCUMENTED_HEADERS} that the document does not list for that status;</li>
 * <li>the document refuses the request (a bad parameter, a missing header, a wrong content type) but the
 * service accepted it: the document's constraints are tighter than those enforced.</li>
 * </ul>
 * A request that the document refuses and the service refuses too (any 4xx) is what bad-input tests do: fine.
 * Only requests to the application's own HTTP port under {@code /api/} are checked (not the management port,
 * not the upstream stubs).
 * <p>
 * A {@code @QuarkusTest} runs in the application's class loader, with a RestAssured of its own: there the filter
 * is installed and the violations checked through Quarkus' test callbacks (registered as services too); a
 * {@code @QuarkusIntegrationTest} runs in JUnit's, through JUnit's callbacks.
 */
public final class OpenApiContract implements BeforeAllCallback, AfterAllCallback, QuarkusTestBeforeEachCallback,
        QuarkusTestAfterAllCallback {

    /** Headers whose presence the document must announce, status by status. */
    static final Set<String> DOCUMENTED_HEADERS = Set.of("location", "etag", "idempotent-replayed", "retry-after",
            "x-fanout-complete", "server-timing", "www-authenticate");

    private static final Check CHECK = new Check();
    private static final List<String> VIOLATIONS = new CopyOnWriteArrayList<>();
    private static final Map<Integer, OpenApiInteractionValidator> VALIDATORS = new ConcurrentHashMap<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
    }

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        install();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        failOnViolations(context.getDisplayName());
    }

    @Override
    public void afterAll(QuarkusTestContext context) {
        failOnViolations(context.getTestInstance().getClass().getSimpleName());
    }

    private static synchronized void install() {
        if (!RestAssured.filters().contains(CHECK)) {
            RestAssured.filters(CHECK);
        }
    }

    private static void failOnViolations(String testClass) {
        if (!VIOLATIONS.isEmpty()) {
            List<String> seen = List.copyOf(VIOLATIONS);
            VIOLATIONS.clear();
            throw new AssertionError(seen.size() + " answer(s) during " + testClass
                    + " contradict the OpenAPI document:\n" + String.join("\n", seen));
        }
    }

    /** The validator for the document served on {@code port}, read once per port. */
    public static OpenApiInteractionValidator validator(int port) {
        return VALIDATORS.computeIfAbsent(port, p -> {
            String document = document(p);
            OpenAPI api = parse(document);
            return OpenApiInteractionValidator.createForInlineApiSpecification(document)
                    .withCustomResponseValidation((response, operation) -> undocumentedHeaders(api, response, operation))
                    .build();
        });
    }

    /** The served document, as JSON. */
    public static String document(int port) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/openapi?format=json")).build();
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("GET /q/openapi answered " + answer.statusCode());
            }
            return answer.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static OpenAPI parse(String document) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        return new OpenAPIParser().readContents(document, null, options).getOpenAPI();
    }

    /**
     * What is wrong with this exchange, as the contract sees it (empty when nothing). Request messages only count
     * when the service accepted what the document refuses.
     */
    public static List<String> verdict(ValidationReport report, int status) {
        List<String> wrong = new ArrayList<>();
        for (ValidationReport.Message message : report.getMessages()) {
            if (message.getLevel() != ValidationReport.Level.ERROR) {
                continue;
            }
            // The validator's regex engine (ECMAScript 5) has no Unicode property classes such as \p{L}, which the
            // guest name's pattern uses (ECMAScript 2018 has them): those patterns are not judged here.
            if (message.getKey().endsWith("schema.pattern") && message.getMessage().contains("\\p{")) {
                continue;
            }
            boolean aboutRequest = message.getKey().startsWith("validation.request");
            if (!aboutRequest || status < 400) {
                wrong.add((aboutRequest ? "the document refuses this request, the service accepted it: " : "")
                        + message.getKey() + ": " + message.getMessage());
            }
        }
        return wrong;
    }

    private static ValidationReport undocumentedHeaders(OpenAPI api, com.atlassian.oai.validator.model.Response response,
            ApiOperation operation) {
        ApiResponse documented = operation.getOperation().getResponses() == null ? null
                : operation.getOperation().getResponses().get(Integer.toString(response.getStatus()));
        if (documented == null) {
            return ValidationReport.empty(); // the validator itself reports the undocumented status
        }
        if (documented.get$ref() != null) {
            documented = api.getComponents().getResponses().get(documented.get$ref().substring(documented.get$ref().lastIndexOf('/') + 1));
        }
        Set<String> announced = documented.getHeaders() == null ? Set.of()
                : documented.getHeaders().keySet().stream().map(String::toLowerCase).collect(Collectors.toSet());
        List<ValidationReport.Message> missing = DOCUMENTED_HEADERS.stream()
                .filter(header -> !response.getHeaderValues(header).isEmpty() && !announced.contains(header))
                .sorted()
                .map(header -> ValidationReport.Message.create("validation.response.header.undocumented",
                        "Header '" + header + "' is sent with " + response.getStatus() + " but not documented for it").build())
                .toList();
        return ValidationReport.from(missing);
    }

    /** The RestAssured filter: checks each exchange with the application as it happens. */
    static final class Check implements OrderedFilter {

        @Override
        public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification responseSpec,
                FilterContext context) {
            Response response = context.next(request, responseSpec);
            URI uri = URI.create(request.getURI());
            if (uri.getPort() != RestAssured.port || uri.getPath() == null || !uri.getPath().startsWith("/api/")) {
                return response;
            }
            ValidationReport report = validator(uri.getPort())
                    .validate(withAuthorization(request), RestAssuredResponse.of(response));
            List<String> wrong = verdict(report, response.statusCode());
            if (!wrong.isEmpty()) {
                String violation = request.getMethod() + " " + uri.getRawPath()
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " -> " + response.statusCode()
                        + ": " + String.join("; ", wrong);
                VIOLATIONS.add(violation);
                throw new AssertionError("The answer contradicts the OpenAPI document: " + violation);
            }
            return response;
        }

        // given().auth().oauth2(token) adds its header after the filters: the validator is shown it all the same.
        private static Request withAuthorization(FilterableRequestSpecification request) {
            Request seen = RestAssuredRequest.of(request);
            if (!(request.getAuthenticationScheme() instanceof PreemptiveOAuth2HeaderScheme oauth2)
                    || !seen.getHeaderValues("Authorization").isEmpty()) {
                return seen;
            }
            Map<String, Collection<String>> headers = new HashMap<>(seen.getHeaders());
            headers.put("Authorization", List.of("Bearer " + oauth2.getAccessToken()));
            return new Request() {
                @Override
                public String getPath() {
                    return seen.getPath();
                }

                @Override
                public Method getMethod() {
                    return seen.getMethod();
                }

                @Override
                public Optional<String> getBody() {
                    return seen.getBody();
                }

                @Override
                public Optional<Body> getRequestBody() {
                    return seen.getRequestBody();
                }

                @Override
                public Collection<String> getQueryParameters() {
                    return seen.getQueryParameters();
                }

                @Override
                public Collection<String> getQueryParameterValues(String name) {
                    return seen.getQueryParameterValues(name);
                }

                @Override
                public Map<String, Collection<String>> getHeaders() {
                    return headers;
                }

                @Override
                public Collection<String> getHeaderValues(String name) {
                    return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                            .flatMap(h -> h.getValue().stream()).toList();
                }
            };
        }

        // After the other filters (logging, for instance), just before the request is sent.
        @Override
        public int getOrder() {
            return OrderedFilter.LOWEST_PRECEDENCE;
        }
    }
}
