package dev.switchboard.support;

import static io.restassured.RestAssured.given;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.path.json.JsonPath;

/** Test-side handle on the {@link UpstreamStubs} started for the run: counters, reset, gates. */
public final class Upstreams {

    private Upstreams() {
    }

    public static String url() {
        return ConfigProvider.getConfig().getValue(UpstreamStubsTestResource.STUBS_URL, String.class);
    }

    public static void reset() {
        given().post(url() + "/__reset").then().statusCode(200);
    }

    public static JsonPath stats() {
        return given().get(url() + "/__stats").then().statusCode(200).extract().jsonPath();
    }

    /** A counter of one stub path ({@code count}, {@code inFlight}, {@code peak}, {@code closedEarly}, {@code bytesSent}). */
    public static long stat(String path, String counter) {
        Object value = stats().get("paths.'" + path + "'." + counter);
        return value == null ? 0 : ((Number) value).longValue();
    }

    public static void gate(String name, boolean open) {
        given().post(url() + "/__gates/" + name + "/" + (open ? "open" : "close")).then().statusCode(200);
    }
}
