package dev.switchboard.platform;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * The reactive PostgreSQL client creates its Vert.x client meters once per connection, not once per pool, and
 * they carry the same name and tags for every connection of the pool. Counters and timers are shared that way
 * and add up, but each new connection's gauges ({@code postgresql.queue.size}, {@code postgresql.current})
 * would be a second registration of the first one's: Micrometer ignores it with a WARN at every start, and
 * the gauge only ever shows the first connection. They are left out; the pool's own meters count its queue.
 */
@Singleton
public class SqlClientMeters {

    @Produces
    @Singleton
    MeterFilter withoutPerConnectionGauges() {
        return MeterFilter.deny(id -> id.getType() == Meter.Type.GAUGE && "sql".equals(id.getTag("clientType")));
    }
}
