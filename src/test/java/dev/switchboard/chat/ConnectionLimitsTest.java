package dev.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {

    @Test
    void capsPerAddressAndInAll() {
        ConnectionLimits limits = new ConnectionLimits(3, 2);
        assertThat(limits.admit("10.0.0.1")).isNull();
        assertThat(limits.admit("10.0.0.1")).isNull();
        assertThat(limits.admit("10.0.0.1")).contains("too many connections from your address");
        assertThat(limits.admit("10.0.0.2")).isNull();
        assertThat(limits.admit("10.0.0.3")).contains("server full");
        assertThat(limits.open()).as("refused connections are not counted").isEqualTo(3);

        limits.release("10.0.0.1");
        assertThat(limits.admit("10.0.0.3")).isNull();
        assertThat(limits.admit("10.0.0.1")).contains("server full");
        limits.release("10.0.0.2");
        assertThat(limits.admit("10.0.0.1")).isNull();
    }

    @Test
    void clientAddressIsThePeerOrTheTrustedProxysLastEntry() {
        assertThat(ConnectionLimits.clientAddress("127.0.0.1:53211", null)).isEqualTo("127.0.0.1");
        assertThat(ConnectionLimits.clientAddress("0:0:0:0:0:0:0:1:53211", null)).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(ConnectionLimits.clientAddress("10.1.0.7:40000", "203.0.113.9, 198.51.100.4"))
                .as("the address the proxy saw, not what the client claimed before it").isEqualTo("198.51.100.4");
    }
}
