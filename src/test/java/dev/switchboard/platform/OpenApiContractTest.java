package dev.switchboard.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;

import dev.switchboard.support.OpenApiContract;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/**
 * The served OpenAPI document as a whole, and proof that the contract check every HTTP test runs through
 * ({@link OpenApiContract}) refuses answers that contradict it.
 */
@QuarkusTest
class OpenApiContractTest {

    private static final String PROBLEM = "application/problem+json";
    private static final Set<String> CODEC_REFUSALS = Set.of("414", "431");

    @Test
    void theDocumentIsValidOpenApi30AndEveryOperationDocumentsItsFailures() {
        SwaggerParseResult parsed = new OpenAPIParser().readContents(OpenApiContract.document(RestAssured.port), null, null);
        assertThat(parsed.getMessages()).isEmpty();
        OpenAPI api = parsed.getOpenAPI();
        assertThat(api.getOpenapi()).isEqualTo("3.0.3");
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            String name = method + " " + path;
            assertThat(operation.getOperationId()).as(name).isNotBlank();
            assertThat(operation.getResponses()).as(name).containsKeys("406", "500");
            // Input can be invalid only where there is some (a guest's token renewal takes none).
            if (operation.getRequestBody() != null || (operation.getParameters() != null && !operation.getParameters().isEmpty())) {
                assertThat(operation.getResponses()).as(name).containsKey("400");
            }
            // Every operation states its security: [] when public, a bearer requirement otherwise (then 401 can come).
            assertThat(operation.getSecurity()).as(name).isNotNull();
            if (!operation.getSecurity().isEmpty()) {
                assertThat(resolve(api, operation.getResponses().get("401")).getHeaders()).as(name).containsKey("WWW-Authenticate");
            }
            operation.getResponses().forEach((status, response) -> {
                // 414 and 431 come from the HTTP server's codec before any handler runs: no body (HostileRequestsTest).
                if ((status.charAt(0) == '4' || status.charAt(0) == '5') && !CODEC_REFUSALS.contains(status)) {
                    assertThat(resolve(api, response).getContent()).as(name + " " + status).containsOnlyKeys(PROBLEM);
                }
            });
        }));
    }

    @Test
    void aGoodAnswerPasses() {
        OpenApiInteractionValidator validator = OpenApiContract.validator(RestAssured.port);
        var report = validator.validate(SimpleRequest.Builder.get("/api/users").withQueryParam("limit", "2")
                .withHeader("Authorization", "Bearer a.b.c").build(),
                json(200, "{\"items\":[{\"id\":1,\"name\":\"Ada\",\"email\":\"ada@example.com\",\"version\":1,"
                        + "\"createdAt\":\"2026-12-04T10:00:00Z\"}],\"next\":null}").build());
        assertThat(OpenApiContract.verdict(report, 200)).isEmpty();
    }

    @Test
    void answersThatContradictTheDocumentAreRefused() {
        assertRefused(SimpleRequest.Builder.get("/api/users").build(),
                json(200, "{\"items\":[],\"next\":\"soon\"}"), "next");
        assertRefused(SimpleRequest.Builder.get("/api/users").build(),
                json(200, "{\"items\":[],\"next\":null,\"total\":0}"), "total");
        assertRefused(SimpleRequest.Builder.get("/api/users").build(), json(418, problem(418)), "418");
        // Security: a 401 must carry its challenge, and an operation that needs a token must not answer without one.
        assertRefused(SimpleRequest.Builder.get("/api/users").build(), json(401, problem(401)), "WWW-Authenticate");
        assertRefused(SimpleRequest.Builder.get("/api/users").build(), json(200, "{\"items\":[],\"next\":null}"),
                "security");
        assertRefused(SimpleRequest.Builder.get("/api/products/1").build(),
                json(200, "{\"id\":1,\"name\":\"x\",\"priceCents\":1,\"stock\":1,\"version\":1,"
                        + "\"createdAt\":\"2026-12-04T10:00:00Z\"}").withHeader("ETag", "\"1\"").withHeader("Retry-After", "1"),
                "retry-after");
        assertRefused(SimpleRequest.Builder.put("/api/users/1").withHeader("If-Match", "\"1\"")
                .withContentType("application/json").withBody("{\"name\":\"a\",\"email\":\"a@example.com\"}").build(),
                json(412, problem(412)), "currentVersion");
        assertRefused(SimpleRequest.Builder.post("/api/orders").withContentType("application/json")
                .withBody("{\"userId\":1,\"items\":[{\"productId\":1,\"quantity\":1}]}").build(),
                json(201, "{\"id\":1,\"userId\":1,\"totalCents\":1,\"createdAt\":\"2026-12-04T10:00:00Z\",\"items\":[]}"),
                "Location");
    }

    @Test
    void aRequestTheDocumentRefusesMustNotBeAccepted() {
        Request tooMany = SimpleRequest.Builder.get("/api/products").withQueryParam("limit", "201").build();
        String page = "{\"items\":[],\"next\":null}";
        var report = OpenApiContract.validator(RestAssured.port).validate(tooMany, json(200, page).build());
        assertThat(OpenApiContract.verdict(report, 200)).singleElement().asString()
                .contains("the document refuses this request, the service accepted it");
        var refused = OpenApiContract.validator(RestAssured.port).validate(tooMany, json(400, problem(400)).build());
        assertThat(OpenApiContract.verdict(refused, 400)).isEmpty();
    }

    private static void assertRefused(Request request, SimpleResponse.Builder response, String mentioning) {
        SimpleResponse built = response.build();
        var report = OpenApiContract.validator(RestAssured.port).validate(request, built);
        assertThat(String.join("\n", OpenApiContract.verdict(report, built.getStatus())))
                .as(request.getMethod() + " " + request.getPath() + " answered " + built.getStatus())
                .containsIgnoringCase(mentioning);
    }

    private static SimpleResponse.Builder json(int status, String body) {
        return SimpleResponse.Builder.status(status)
                .withContentType(status >= 400 ? PROBLEM : "application/json").withBody(body);
    }

    private static String problem(int status) {
        return "{\"type\":\"about:blank\",\"title\":\"T\",\"status\":" + status + ",\"detail\":\"d\"}";
    }

    private static ApiResponse resolve(OpenAPI api, ApiResponse response) {
        String ref = response.get$ref();
        return ref == null ? response : api.getComponents().getResponses().get(ref.substring(ref.lastIndexOf('/') + 1));
    }
}
