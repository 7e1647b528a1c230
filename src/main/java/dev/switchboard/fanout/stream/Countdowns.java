package dev.switchboard.fanout.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.fanout.stream.StreamEvents.CountdownTick;
import dev.switchboard.fanout.stream.StreamEvents.Done;
import dev.switchboard.fanout.stream.StreamEvents.StreamEvent;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.core.Vertx;

/** Countdowns ticking on Vert.x timers; a cancelled stream cancels its timer. */
@ApplicationScoped
public class Countdowns {

    /** A countdown to run: {@code name} ticks from {@code from} down to 1. */
    public record Spec(String name, int from) {
    }

    private final Vertx vertx;
    private final StreamMetrics metrics;

    Countdowns(Vertx vertx, StreamMetrics metrics) {
        this.vertx = vertx;
        this.metrics = metrics;
    }

    /**
     * {@code from}, then one number less every {@code periodMs} down to 1; completes one period after 1
     * (the "lift-off"). The first tick comes at once.
     */
    public Multi<CountdownTick> countdown(Spec spec, long periodMs) {
        return Multi.createFrom().emitter(emitter -> {
            AtomicInteger next = new AtomicInteger(spec.from() - 1);
            metrics.countdownTick();
            emitter.emit(new CountdownTick(spec.name(), spec.from()));
            long timer = vertx.setPeriodic(periodMs, id -> {
                metrics.countdownTick();
                int n = next.getAndDecrement();
                if (n >= 1) {
                    emitter.emit(new CountdownTick(spec.name(), n));
                } else {
                    vertx.cancelTimer(id);
                    emitter.complete();
                }
            });
            emitter.onTermination(() -> vertx.cancelTimer(timer));
        });
    }

    /** One countdown followed by {@code done}. */
    public Multi<StreamEvent> single(Spec spec, long periodMs) {
        return withDone(List.of(spec), Multi.createFrom().deferred(() -> countdown(spec, periodMs)));
    }

    /** Several countdowns at once, merged as they tick, followed by one {@code done}. */
    public Multi<StreamEvent> merged(List<Spec> specs, long periodMs) {
        return withDone(specs, Multi.createFrom().deferred(() -> {
            List<Multi<CountdownTick>> all = new ArrayList<>(specs.size());
            for (Spec spec : specs) {
                all.add(countdown(spec, periodMs));
            }
            return Multi.createBy().merging().streams(all);
        }));
    }

    private static Multi<StreamEvent> withDone(List<Spec> specs, Multi<CountdownTick> ticks) {
        List<String> names = specs.stream().map(Spec::name).toList();
        return Multi.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return Multi.createBy().concatenating().streams(
                    ticks.onItem().castTo(StreamEvent.class),
                    Multi.createFrom().item(() -> (StreamEvent) new Done(names,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))));
        });
    }
}
