package dev.switchboard.platform;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Requests refused as the client's mistake (a body that is too large or not JSON, a value of the wrong type, a
 * parameter that does not convert, a content type not taken): counted by reason in
 * {@value #METER} and logged at DEBUG only, so no client can fill the log or page an operator with them.
 * ERROR stays for the server's own faults.
 */
@Singleton
public class ClientErrors {

    public static final String METER = "switchboard.http.client.errors";

    public static final String BODY_TOO_LARGE = "body-too-large";
    public static final String UNREADABLE_BODY = "unreadable-body";
    public static final String INVALID_INPUT = "invalid-input";
    public static final String INVALID_PARAMETER = "invalid-parameter";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported-media-type";

    private static final Logger LOG = Logger.getLogger(ClientErrors.class);

    private final MeterRegistry registry;

    ClientErrors(MeterRegistry registry) {
        this.registry = registry;
    }

    public void refused(String reason, String detail) {
        registry.counter(METER, "reason", reason).increment();
        LOG.debugf("Refused a request (%s): %s", reason, detail);
    }
}
