package dev.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {

    @Test
    void capsPerAddressAndInAll() {
        ConnectionLimits limits = new ConnectionLimits(3, 2, 10);
        assertThat(limits.admit("10.0.0.1", "a")).isNull();
        assertThat(limits.admit("10.0.0.1", "b")).isNull();
        assertThat(limits.admit("10.0.0.1", "c")).contains("too many connections from your address");
        assertThat(limits.admit("10.0.0.2", "d")).isNull();
        assertThat(limits.admit("10.0.0.3", "e")).contains("server full");
        assertThat(limits.open()).as("refused connections are not counted").isEqualTo(3);

        limits.release("10.0.0.1", "a");
        assertThat(limits.admit("10.0.0.3", "e")).isNull();
        assertThat(limits.admit("10.0.0.1", "f")).contains("server full");
        limits.release("10.0.0.2", "d");
        assertThat(limits.admit("10.0.0.1", "f")).isNull();
    }

    @Test
    void capsPerUserWhereverItConnectsFrom() {
        ConnectionLimits limits = new ConnectionLimits(10, 10, 2);
        assertThat(limits.admit("10.0.0.1", "ada")).isNull();
        assertThat(limits.admit("10.0.0.2", "ada")).isNull();
        assertThat(limits.admit("10.0.0.3", "ada")).contains("too many connections for your user (2 open)");
        assertThat(limits.admit("10.0.0.3", "bob")).as("others are not held up").isNull();
        assertThat(limits.open()).isEqualTo(3);

        limits.release("10.0.0.1", "ada");
        assertThat(limits.admit("10.0.0.3", "ada")).isNull();
        // The refused connection was not counted for its address either: 10.0.0.3 holds bob and ada only.
        ConnectionLimits tight = new ConnectionLimits(10, 1, 1);
        assertThat(tight.admit("10.0.0.1", "ada")).isNull();
        assertThat(tight.admit("10.0.0.2", "ada")).contains("for your user");
        assertThat(tight.admit("10.0.0.2", "bob")).isNull();
    }

    @Test
    void clientAddressIsThePeerOrTheTrustedProxysLastEntry() {
        assertThat(ConnectionLimits.clientAddress("127.0.0.1:53211", null)).isEqualTo("127.0.0.1");
        assertThat(ConnectionLimits.clientAddress("0:0:0:0:0:0:0:1:53211", null)).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(ConnectionLimits.clientAddress("10.1.0.7:40000", "203.0.113.9, 198.51.100.4"))
                .as("the address the proxy saw, not what the client claimed before it").isEqualTo("198.51.100.4");
    }
}
