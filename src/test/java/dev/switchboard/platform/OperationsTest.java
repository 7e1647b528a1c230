package dev.switchboard.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.Management;
import dev.switchboard.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class OperationsTest {

    @Test
    void readinessReportsTheDatabase() {
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"), "checks.name", hasItem(containsString("Reactive PostgreSQL")));
    }

    @Test
    void healthAndMetricsAreOnlyOnTheManagementPort() {
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
    }

    @Test
    void metricsAndOpenApiAreServed() {
        Tokens.asAdmin().get("/api/users").then().statusCode(200);
        Management.given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests_seconds"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/orders"));
    }

    @Test
    void unknownPathsAnswerWithAProblem() {
        given().get("/api/nothing-here").then().statusCode(404);
    }
}
