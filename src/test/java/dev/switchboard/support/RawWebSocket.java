package dev.switchboard.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * A WebSocket client on a plain socket, for clients that misbehave on purpose: one that never reads,
 * one that never answers pings, or one that vanishes with a TCP reset. Only what those tests need:
 * handshake, reading frames, writing masked text and pong frames, resetting.
 */
public final class RawWebSocket implements AutoCloseable {

    /** One frame as received: opcode and payload; for a close frame, its code and reason. */
    public record Frame(int opcode, byte[] payload) {
        public static final int TEXT = 1;
        public static final int CLOSE = 8;
        public static final int PING = 9;

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }

        public String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * Connects and completes the handshake; {@code receiveBuffer} bytes of socket buffer (small = fills fast). A
     * {@code name} in the query names the test user whose token is sent, as {@link ChatTestClient} does.
     */
    public static RawWebSocket connect(int port, String pathAndQuery, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new InetSocketAddress("localhost", port), 10_000);
        socket.setSoTimeout(30_000);
        RawWebSocket ws = new RawWebSocket(socket);
        String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost:" + port + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + ChatTestClient.authorization(pathAndQuery, Map.of()).entrySet().stream()
                        .map(h -> h.getKey() + ": " + h.getValue() + "\r\n").collect(Collectors.joining())
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        ws.out.write(request.getBytes(StandardCharsets.US_ASCII));
        ws.out.flush();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = ws.in.read();
            if (b < 0) {
                throw new IOException("Connection closed during the handshake: " + head);
            }
            head.write(b);
        }
        String response = head.toString(StandardCharsets.US_ASCII);
        if (!response.startsWith("HTTP/1.1 101")) {
            throw new IOException("Handshake refused: " + response);
        }
        return ws;
    }

    /** Reads the next frame (server frames are not masked); throws on end of stream. */
    public Frame read() throws IOException {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame(first & 0x0f, payload);
    }

    /** Reads until a close frame (skipping the others) and returns it; throws if the stream ends first. */
    public Frame readUntilClose() throws IOException {
        while (true) {
            Frame frame = read();
            if (frame.opcode() == Frame.CLOSE) {
                return frame;
            }
        }
    }

    public synchronized void sendText(String text) throws IOException {
        write(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    /** An unsolicited pong: a heartbeat that says "alive" without reading anything. */
    public synchronized void sendPong() throws IOException {
        write(0xA, new byte[0]);
    }

    private void write(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xff);
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** Reads until a text frame (skipping the others, pings included) and returns its text. */
    public String readText() throws IOException {
        while (true) {
            Frame frame = read();
            if (frame.opcode() == Frame.TEXT) {
                return frame.text();
            }
        }
    }

    /**
     * Ends the connection the way a killed client process or a phone going out of coverage behind a load
     * balancer does: no close frame, and a TCP reset (RST) instead of the orderly FIN.
     */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
