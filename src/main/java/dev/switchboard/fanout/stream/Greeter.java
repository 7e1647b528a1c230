package dev.switchboard.fanout.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.switchboard.fanout.VertxTimers;
import dev.switchboard.fanout.stream.StreamEvents.Done;
import dev.switchboard.fanout.stream.StreamEvents.GreetingEvent;
import dev.switchboard.fanout.stream.StreamEvents.StreamEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/** Greets every name at once: a hello now, a goodbye after the delay, all names concurrently. */
@ApplicationScoped
public class Greeter {

    /** One name's greeting, with when each part happened (ms from the request start). */
    @RegisterForReflection
    @Schema(requiredProperties = { "name", "hello", "goodbye", "helloAtMs", "goodbyeAtMs" })
    public record Greeting(String name, String hello, String goodbye, long helloAtMs, long goodbyeAtMs) {
    }

    @RegisterForReflection
    @Schema(requiredProperties = { "greetings", "delayMs", "elapsedMs" })
    public record Greetings(List<Greeting> greetings, long delayMs, long elapsedMs) {
    }

    private final Vertx vertx;

    Greeter(Vertx vertx) {
        this.vertx = vertx;
    }

    /** All greetings, after about one delay in total (not one per name). */
    public Uni<Greetings> greet(List<String> names, long delayMs) {
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            List<Uni<Greeting>> each = new ArrayList<>(names.size());
            for (String name : names) {
                each.add(Uni.createFrom().deferred(() -> {
                    long helloAt = sinceMs(start);
                    return VertxTimers.delay(vertx, delayMs)
                            .map(v -> new Greeting(name, hello(name), goodbye(name), helloAt, sinceMs(start)));
                }));
            }
            return Uni.join().all(each).andFailFast()
                    .map(greetings -> new Greetings(greetings, delayMs, sinceMs(start)));
        });
    }

    /** Every hello at once, then every goodbye as its delay ends, then {@code done}. */
    public Multi<StreamEvent> stream(List<String> names, long delayMs) {
        return Multi.createFrom().deferred(() -> {
            long start = System.nanoTime();
            Multi<StreamEvent> hellos = Multi.createFrom().iterable(names)
                    .map(name -> new GreetingEvent(name, "hello", hello(name), sinceMs(start)));
            List<Multi<StreamEvent>> goodbyes = new ArrayList<>(names.size());
            for (String name : names) {
                goodbyes.add(VertxTimers.delay(vertx, delayMs)
                        .map(v -> (StreamEvent) new GreetingEvent(name, "goodbye", goodbye(name), sinceMs(start)))
                        .toMulti());
            }
            return Multi.createBy().concatenating().streams(
                    hellos,
                    Multi.createBy().merging().streams(goodbyes),
                    Multi.createFrom().item(() -> (StreamEvent) new Done(names, sinceMs(start))));
        });
    }

    private static String hello(String name) {
        return "Hello, " + name + "!";
    }

    private static String goodbye(String name) {
        return "Goodbye, " + name + "!";
    }

    private static long sinceMs(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
