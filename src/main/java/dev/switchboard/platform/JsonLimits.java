package dev.switchboard.platform;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * JSON is read with a nesting bound of its own rather than Jackson's process-wide default (which any library in
 * the process may change): this API's payloads nest three levels, upstream answers of the fan-out a few more.
 * Deeper input is a 400 before it costs more than a few kilobytes of parser state.
 */
@Singleton
public class JsonLimits implements ObjectMapperCustomizer {

    static final int MAX_NESTING_DEPTH = 256;

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH).build());
    }
}
