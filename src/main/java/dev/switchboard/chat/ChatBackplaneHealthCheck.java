package dev.switchboard.chat;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the chat backplane can hear the other replicas: after a few seconds without its
 * {@code LISTEN} connection this replica would serve rooms that miss others' messages and presence.
 */
@Readiness
@ApplicationScoped
public class ChatBackplaneHealthCheck implements HealthCheck {

    private final ChatBackplane backplane;
    private final ChatConfig config;

    ChatBackplaneHealthCheck(ChatBackplane backplane, ChatConfig config) {
        this.backplane = backplane;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        Duration deaf = backplane.deafFor();
        return HealthCheckResponse.named("chat-backplane")
                .status(deaf.compareTo(config.listenerGrace()) <= 0)
                .withData("listening", backplane.isListening())
                .withData("replica", backplane.replica())
                .withData("disconnectedMillis", deaf.toMillis())
                .build();
    }
}
