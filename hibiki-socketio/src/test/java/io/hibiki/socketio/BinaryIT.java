package io.hibiki.socketio;

import static io.hibiki.socketio.Puppet.bin;
import static io.hibiki.socketio.Puppet.doArg;
import static io.hibiki.socketio.Puppet.emitCmd;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Binary attachments nested in objects and arrays, both directions, on each transport. */
class BinaryIT {

    private static JsonNode binJson(int... bytes) {
        return Puppet.JSON.valueToTree(bin(bytes));
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void nestedBinaryTravelsBothWays(String transport) throws Exception {
        BlockingQueue<Object> uploads = new LinkedBlockingQueue<>();
        try (SioFixture fx = SioFixture.start()) {
            fx.io.onConnection(socket -> socket.on("upload", (args, ack) -> {
                JsonNode file = args.get(0);
                uploads.add(file.get("name").asText());
                uploads.add(file.get("parts").get(0).binaryValue());
                uploads.add(file.get("parts").get(1).binaryValue());
                uploads.add(file.get("meta").get("thumb").binaryValue());
                uploads.add(args.getBytes(1));
                // Echo what came in (binary nodes) next to values built here (byte[] and ByteBuffer).
                ack.send(Map.of("echo", file, "made", List.of(new byte[] {7, 8}, Map.of("deep", ByteBuffer.wrap(new byte[] {9})))));
                socket.emit("download", List.of(Map.of("chunk", new byte[] {10, 11, 12})), new byte[0], "text");
            }));
            Map<String, Object> file = Map.of("name", "f.bin", "parts", List.of(bin(1, 2, 3), bin(4, 5)),
                    "meta", Map.of("thumb", bin(255, 0, 128)));
            Puppet p = fx.puppet("--transports=" + transport, doArg(emitCmd("upload", true, file, bin(6))));

            JsonNode answer = p.awaitAck(0, "upload").get("args").get(0);
            assertEquals("f.bin", uploads.poll(5, TimeUnit.SECONDS));
            assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) uploads.poll(5, TimeUnit.SECONDS));
            assertArrayEquals(new byte[] {4, 5}, (byte[]) uploads.poll(5, TimeUnit.SECONDS));
            assertArrayEquals(new byte[] {(byte) 255, 0, (byte) 128}, (byte[]) uploads.poll(5, TimeUnit.SECONDS));
            assertArrayEquals(new byte[] {6}, (byte[]) uploads.poll(5, TimeUnit.SECONDS));

            assertEquals(Puppet.JSON.valueToTree(file), answer.get("echo"));
            assertEquals(binJson(7, 8), answer.get("made").get(0));
            assertEquals(binJson(9), answer.get("made").get(1).get("deep"));

            JsonNode download = p.awaitReceived(0, "download", 1).get(0);
            assertEquals(binJson(10, 11, 12), download.get(0).get(0).get("chunk"));
            assertEquals(binJson(), download.get(1));
            assertEquals("text", download.get(2).asText());
            assertEquals(transport, p.awaitEvent("connect", 0, 0).get("transport").asText());
        }
    }
}
