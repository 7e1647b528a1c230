package dev.switchboard.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.MethodParameterInfo;
import org.jboss.jandex.RecordComponentInfo;
import org.jboss.jandex.Type;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Every type of ours that Jackson writes or reads is registered for reflection, or the native executable
 * serialises it as {@code {}} (or fails). The payloads are found from what serialises them: the resource
 * methods' signatures, every chat frame ({@code ChatFrame}, the only type {@code FrameEncoder} takes) and
 * every stream event ({@code StreamEvent}, the only type the SSE resource writes), then every type their
 * record components name, and those of the payloads that travel inside a plain {@code Response} (the
 * aggregate, problems), registered by hand; the native integration tests exercise those.
 */
class PayloadRegistrationTest {

    private static final String OURS = "dev.switchboard.";
    private static final DotName REGISTERED = DotName.createSimple(RegisterForReflection.class);
    private static final List<DotName> HTTP_METHODS = Stream.of("GET", "POST", "PUT", "DELETE", "PATCH")
            .map(name -> DotName.createSimple("jakarta.ws.rs." + name)).toList();
    private static final List<DotName> NOT_A_BODY = Stream.of("PathParam", "QueryParam", "HeaderParam", "core.Context")
            .map(name -> DotName.createSimple("jakarta.ws.rs." + name)).toList();

    private static Index index;

    @BeforeAll
    static void indexMainClasses() throws IOException, URISyntaxException {
        Path classes = Path.of(Problem.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Indexer indexer = new Indexer();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                try (InputStream in = Files.newInputStream(file)) {
                    indexer.index(in);
                }
            }
        }
        index = indexer.complete();
    }

    @Test
    void everyPayloadIsRegisteredForReflection() {
        Deque<Type> roots = new ArrayDeque<>();
        for (DotName httpMethod : HTTP_METHODS) {
            for (AnnotationInstance annotation : index.getAnnotations(httpMethod)) {
                if (annotation.target().kind() == AnnotationTarget.Kind.METHOD) {
                    MethodInfo method = annotation.target().asMethod();
                    roots.add(method.returnType());
                    for (MethodParameterInfo parameter : method.parameters()) {
                        if (NOT_A_BODY.stream().noneMatch(parameter::hasAnnotation)) {
                            roots.add(parameter.type());
                        }
                    }
                }
            }
        }
        for (String marker : List.of("dev.switchboard.chat.ChatFrame", "dev.switchboard.fanout.stream.StreamEvents$StreamEvent")) {
            Collection<ClassInfo> implementations = index.getAllKnownImplementations(DotName.createSimple(marker));
            assertThat(implementations).as("implementations of %s", marker).isNotEmpty();
            implementations.forEach(type -> roots.add(Type.create(type.name(), Type.Kind.CLASS)));
        }
        // What travels in a plain Response is registered by hand: what it holds must be registered too.
        for (AnnotationInstance registration : index.getAnnotations(REGISTERED)) {
            if (registration.value("targets") == null && registration.target().kind() == AnnotationTarget.Kind.CLASS) {
                roots.add(Type.create(registration.target().asClass().name(), Type.Kind.CLASS));
            }
        }

        Set<String> payloads = new TreeSet<>();
        Set<String> unregistered = new TreeSet<>();
        while (!roots.isEmpty()) {
            Type type = roots.pop();
            switch (type.kind()) {
                case PARAMETERIZED_TYPE -> {
                    roots.add(Type.create(type.name(), Type.Kind.CLASS));
                    roots.addAll(type.asParameterizedType().arguments());
                }
                case ARRAY -> roots.add(type.asArrayType().elementType());
                case CLASS -> {
                    ClassInfo info = index.getClassByName(type.name());
                    if (info != null && type.name().toString().startsWith(OURS) && payloads.add(info.name().toString())) {
                        if (!info.hasDeclaredAnnotation(REGISTERED)) {
                            unregistered.add(info.name().toString());
                        }
                        for (RecordComponentInfo component : info.recordComponents()) {
                            roots.add(component.type());
                        }
                    }
                }
                default -> {
                }
            }
        }

        assertThat(payloads).as("payloads found").contains(
                "dev.switchboard.data.User", "dev.switchboard.data.Page", "dev.switchboard.chat.ChatMessage",
                "dev.switchboard.chat.ChatFrames$Welcome", "dev.switchboard.fanout.stream.StreamEvents$CountdownTick",
                "dev.switchboard.fanout.aggregate.SourceOutcome$Outcome");
        assertThat(unregistered).as("payloads without @RegisterForReflection").isEmpty();
    }
}
