package dev.switchboard.platform;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * The one place where exceptions become {@code application/problem+json} answers (PostgreSQL's in
 * {@link DatabaseProblems}). Requests refused as the client's mistake are counted by {@link ClientErrors}.
 */
@Singleton
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    private final ClientErrors errors;

    ProblemMapper(ClientErrors errors) {
        this.errors = errors;
    }

    @RegisterForReflection
    public record Violation(String field, String message) {
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response.ResponseBuilder response = respond(e.problem());
        if (e.retryAfterSeconds() != null) {
            response.header("Retry-After", e.retryAfterSeconds());
        }
        return response.build();
    }

    // 401 and 403 (RFC 6750): the challenge says a bearer token is wanted and, when one was sent, only that it is
    // invalid; which check failed stays in the server (smallrye-jwt logs it at debug level).
    @ServerExceptionMapper
    public Response noToken(UnauthorizedException e) {
        return respond(Problem.of(401, "Unauthorized", "This request needs a bearer token (Authorization: Bearer <token>)"))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    @ServerExceptionMapper
    public Response invalidToken(AuthenticationFailedException e) {
        return respond(Problem.of(401, "Unauthorized", "The bearer token is not valid"))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(Problem.of(403, "Forbidden", "This token does not allow this request")).build();
    }

    @ServerExceptionMapper
    public Response violations(ResteasyReactiveViolationException e) {
        return constraintViolations(e);
    }

    @ServerExceptionMapper
    public Response constraintViolations(ConstraintViolationException e) {
        List<Violation> violations = e.getConstraintViolations().stream()
                .map(v -> new Violation(field(v.getPropertyPath()), v.getMessage()))
                .sorted(Comparator.comparing(Violation::field))
                .toList();
        String detail = violations.stream().map(v -> v.field() + ": " + v.message())
                .reduce((a, b) -> a + "; " + b).orElse("invalid request");
        errors.refused(ClientErrors.INVALID_INPUT, detail);
        return respond(Problem.of(400, "Bad Request", detail).with("violations", violations)).build();
    }

    @ServerExceptionMapper({ JsonProcessingException.class, JsonParseException.class,
            MismatchedInputException.class, InvalidFormatException.class })
    public Response unreadableJson(JsonProcessingException e) {
        String detail = "Request body is not valid JSON: " + e.getOriginalMessage();
        if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String field = mismatch.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("");
            String expected = mismatch.getTargetType() != null ? mismatch.getTargetType().getSimpleName() : "another type";
            detail = e instanceof InvalidFormatException
                    ? field + ": cannot read this value as " + expected
                    : field + ": expected " + expected;
        }
        errors.refused(ClientErrors.UNREADABLE_BODY, detail);
        return respond(Problem.of(400, "Bad Request", detail)).build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json);
        }
        if (e.getResponse().getStatus() == 404 && e.getCause() != null) {
            // JAX-RS answers 404 when a query or path parameter cannot be converted; it is bad input.
            String detail = invalidParameter(uri, e.getCause());
            errors.refused(ClientErrors.INVALID_PARAMETER, detail);
            return respond(Problem.of(400, "Bad Request", detail)).build();
        }
        Response.StatusType status = e.getResponse().getStatusInfo();
        if (status.getStatusCode() == 413 || status.getStatusCode() == 415) {
            errors.refused(status.getStatusCode() == 413 ? ClientErrors.BODY_TOO_LARGE : ClientErrors.UNSUPPORTED_MEDIA_TYPE,
                    e.getMessage());
        }
        String detail = switch (status.getStatusCode()) {
            case 404 -> e.getMessage() != null && !e.getMessage().startsWith("HTTP 404")
                    ? e.getMessage() : "No such resource";
            case 405 -> "Method not allowed on this resource";
            case 406 -> "This resource cannot produce the requested media type";
            case 413 -> "Request body too large";
            case 415 -> "Unsupported content type; send application/json";
            default -> e.getMessage();
        };
        Response.ResponseBuilder response = respond(Problem.of(status.getStatusCode(), status.getReasonPhrase(), detail));
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                values.forEach(v -> response.header(name, v));
            }
        });
        return response.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        return serverFault(e);
    }

    /** A fault of the server's own: logged as an error, answered with a 500 that says nothing of it. */
    static Response serverFault(Throwable e) {
        LOG.error("Unexpected failure while serving a request", e);
        return respond(Problem.of(500, "Internal Server Error", "An unexpected error occurred")).build();
    }

    // Names the parameter whose value failed to convert, e.g. "limit: 'ten' is not a valid value".
    private static String invalidParameter(UriInfo uri, Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        return Stream.concat(uri.getQueryParameters().entrySet().stream(), uri.getPathParameters().entrySet().stream())
                .flatMap(p -> p.getValue().stream().map(v -> Map.entry(p.getKey(), v)))
                .filter(p -> message.contains("\"" + p.getValue() + "\""))
                .map(p -> p.getKey() + ": '" + p.getValue() + "' is not a valid value")
                .findFirst()
                .orElse("Invalid parameter value: " + message);
    }

    static Response.ResponseBuilder respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
    }

    // "create.input.email" -> "email": drop the method and parameter names of the resource.
    private static String field(Path path) {
        String full = path.toString();
        String[] parts = full.split("\\.");
        return parts.length > 2 ? String.join(".", List.of(parts).subList(2, parts.length))
                : parts[parts.length - 1];
    }

}
