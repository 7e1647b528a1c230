package dev.switchboard.data;

import java.net.URI;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The answer to a create as first given, JSON body included, kept with its idempotency key so that a
 * retry gets exactly the same answer.
 */
public record StoredAnswer(int status, String location, String etag, String body) {

    static final String REPLAYED = "Idempotent-Replayed";

    Response response(boolean replayed) {
        Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON).entity(body);
        if (location != null) {
            response.location(URI.create(location));
        }
        if (etag != null) {
            response.header(HttpHeaders.ETAG, etag);
        }
        if (replayed) {
            response.header(REPLAYED, "true");
        }
        return response.build();
    }
}
