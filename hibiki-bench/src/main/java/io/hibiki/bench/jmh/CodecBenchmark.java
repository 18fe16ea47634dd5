package io.hibiki.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.engine.codec.EnginePacketDecoder;
import io.hibiki.socketio.parser.EncodedPacket;
import io.hibiki.socketio.parser.Packet;
import io.hibiki.socketio.parser.PacketDecoder;
import io.hibiki.socketio.parser.PacketEncoder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The per-message codec costs: Socket.IO encode and decode of a chat-sized event, Engine.IO payload decode. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CodecBenchmark {

    private final ObjectMapper mapper = new ObjectMapper();
    private final PacketEncoder encoder = new PacketEncoder(mapper);
    private final PacketDecoder decoder = new PacketDecoder(mapper);
    private final Packet event = Packet.event("/", Packet.NO_ID, List.of("receive-message",
            Map.of("id", 1234, "room", "general", "author", "alice", "text", "hello there, how is it going?",
                    "timestamp", 1764072000000L)));
    private final String text = encoder.encode(event).text();
    private final String payload = "4" + text + "\u001e4" + text + "\u001e3";

    @Benchmark
    public EncodedPacket encodeEvent() {
        return encoder.encode(event);
    }

    @Benchmark
    public Packet decodeEvent() throws Exception {
        return decoder.decodeText(text);
    }

    @Benchmark
    public Object decodePollingPayload() throws Exception {
        return EnginePacketDecoder.decodePayload(payload, 100);
    }
}
