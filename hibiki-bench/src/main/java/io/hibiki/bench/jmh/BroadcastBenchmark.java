package io.hibiki.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.socketio.adapter.AdapterNamespace;
import io.hibiki.socketio.adapter.AdapterSettings;
import io.hibiki.socketio.adapter.BroadcastFlags;
import io.hibiki.socketio.adapter.BroadcastOptions;
import io.hibiki.socketio.adapter.EncodedMessages;
import io.hibiki.socketio.adapter.InMemoryAdapter;
import io.hibiki.socketio.adapter.LocalSocket;
import io.hibiki.socketio.adapter.SocketDetails;
import io.hibiki.socketio.parser.Packet;
import io.hibiki.socketio.parser.PacketEncoder;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A room broadcast to 10 000 sockets in memory: recipient resolution, one encode, and the per-recipient hand-off
 * (the sockets here only count what they get, so this is the adapter's cost without I/O).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class BroadcastBenchmark {

    private static final int SOCKETS = 10_000;

    private InMemoryAdapter adapter;
    private final Packet packet = Packet.event("/", Packet.NO_ID, List.of("msg", Map.of("text", "hello", "n", 1)));
    private final BroadcastOptions toRoom = new BroadcastOptions(Set.of("room"), Set.of(), BroadcastFlags.NONE);
    private long delivered;

    @Setup
    public void setup() {
        Map<String, LocalSocket> sockets = new HashMap<>();
        PacketEncoder encoder = new PacketEncoder(new ObjectMapper());
        AdapterNamespace ns = AdapterNamespace.detached("/", encoder, sockets::get);
        adapter = new InMemoryAdapter(ns, new AdapterSettings(null));
        for (int i = 0; i < SOCKETS; i++) {
            String id = "socket-" + i;
            sockets.put(id, new CountingSocket(id));
            adapter.addAll(id, List.of(id, "room"));
        }
    }

    @Benchmark
    public long broadcastToRoomOf10k() {
        adapter.broadcast(packet, toRoom);
        return delivered;
    }

    private final class CountingSocket implements LocalSocket {
        private final String id;

        CountingSocket(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public boolean deliver(EncodedMessages p, BroadcastFlags flags) {
            delivered += p.messages().size();
            return true;
        }

        @Override
        public void expectAck(long ackId, Consumer<List<JsonNode>> callback) {
        }

        @Override
        public SocketDetails details() {
            return new SocketDetails(id, Map.of(), Set.of(), null);
        }

        @Override
        public void joinAll(Collection<String> rooms) {
        }

        @Override
        public void leave(String room) {
        }

        @Override
        public void disconnect(boolean close) {
        }
    }
}
