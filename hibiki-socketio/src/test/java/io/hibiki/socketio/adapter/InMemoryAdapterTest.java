package io.hibiki.socketio.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import io.hibiki.engine.EngineMessage;
import io.hibiki.socketio.parser.Packet;
import io.hibiki.socketio.parser.PacketEncoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The in-memory adapter with fake sockets: recipient resolution, flags, acks and recovery bookkeeping. */
class InMemoryAdapterTest {

    /** Records what it is sent; refuses volatile packets while {@code busy}. */
    private static final class FakeSocket implements LocalSocket {
        final String id;
        final List<String> delivered = new ArrayList<>();
        final List<Object> notified = new ArrayList<>();
        final Map<Long, Consumer<List<JsonNode>>> acks = new HashMap<>();
        boolean busy;

        FakeSocket(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public boolean deliver(EncodedMessages packet, BroadcastFlags flags) {
            if (busy && flags.volatileEmit()) {
                return false;
            }
            packet.messages().stream().map(EngineMessage::toString).forEach(delivered::add);
            return true;
        }

        @Override
        public void notifyOutgoing(Packet packet) {
            notified.add(packet.data());
        }

        @Override
        public void expectAck(long ackId, Consumer<List<JsonNode>> callback) {
            acks.put(ackId, callback);
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

    private final Map<String, FakeSocket> sockets = new HashMap<>();
    private final PacketEncoder encoder = new PacketEncoder(new ObjectMapper());

    private InMemoryAdapter adapter(Duration recoveryWindow) {
        AdapterNamespace ns = AdapterNamespace.detached("/", encoder, sockets::get);
        return new InMemoryAdapter(ns, new AdapterSettings(recoveryWindow));
    }

    private FakeSocket socket(InMemoryAdapter adapter, String id, String... rooms) {
        FakeSocket s = new FakeSocket(id);
        sockets.put(id, s);
        List<String> all = new ArrayList<>(List.of(rooms));
        all.add(id);
        adapter.addAll(id, all);
        return s;
    }

    private static Packet event(String name, Object... args) {
        List<Object> data = new ArrayList<>();
        data.add(name);
        data.addAll(List.of(args));
        return Packet.event("/", Packet.NO_ID, data);
    }

    private static BroadcastOptions to(Set<String> rooms, Set<String> except, BroadcastFlags flags) {
        return new BroadcastOptions(rooms, except, flags);
    }

    @Test
    void broadcastReachesMembersOfAnyRoomOnceMinusExcluded() {
        InMemoryAdapter adapter = adapter(null);
        FakeSocket s1 = socket(adapter, "s1", "a");
        FakeSocket s2 = socket(adapter, "s2", "a", "b");
        FakeSocket s3 = socket(adapter, "s3", "b");
        FakeSocket s4 = socket(adapter, "s4");
        adapter.broadcast(event("x", 1), to(Set.of("a", "b"), Set.of("s3"), BroadcastFlags.NONE));
        assertEquals(List.of("42[\"x\",1]"), s1.delivered);
        assertEquals(List.of("42[\"x\",1]"), s2.delivered);
        assertEquals(List.of(), s3.delivered);
        assertEquals(List.of(), s4.delivered);
        assertEquals(List.of(List.of("x", 1)), s2.notified, "outgoing listeners hear broadcasts");

        adapter.broadcast(event("y"), to(Set.of(), Set.of("a"), BroadcastFlags.NONE));
        assertEquals(List.of("42[\"y\"]"), s3.delivered);
        assertEquals(List.of("42[\"y\"]"), s4.delivered);
        adapter.delAll("s2");
        assertEquals(Set.of("s1"), adapter.sockets(Set.of("a")));
        assertNull(adapter.rooms().get("s2"));
    }

    @Test
    void volatileFlagLetsABusySocketDropThePacket() {
        InMemoryAdapter adapter = adapter(null);
        FakeSocket busy = socket(adapter, "busy");
        FakeSocket idle = socket(adapter, "idle");
        busy.busy = true;
        adapter.broadcast(event("v"), to(Set.of(), Set.of(), BroadcastFlags.NONE.withVolatile()));
        adapter.broadcast(event("n"), to(Set.of(), Set.of(), BroadcastFlags.NONE));
        assertEquals(List.of("42[\"n\"]"), busy.delivered);
        assertEquals(List.of("42[\"v\"]", "42[\"n\"]"), idle.delivered);
    }

    @Test
    void broadcastWithAckCountsRecipientsAndRoutesAnswers() {
        InMemoryAdapter adapter = adapter(null);
        FakeSocket s1 = socket(adapter, "s1", "r");
        FakeSocket s2 = socket(adapter, "s2", "r");
        socket(adapter, "s3");
        List<Integer> counts = new ArrayList<>();
        List<JsonNode> answers = new ArrayList<>();
        adapter.broadcastWithAck(Packet.event("/", 7, List.of("q")), to(Set.of("r"), Set.of(), BroadcastFlags.NONE),
                counts::add, answers::add);
        assertEquals(List.of(2), counts);
        assertEquals(List.of("427[\"q\"]"), s1.delivered);
        s1.acks.get(7L).accept(List.of(IntNode.valueOf(1), IntNode.valueOf(2)));
        s2.acks.get(7L).accept(List.of());
        assertEquals(2, answers.size());
        assertEquals(IntNode.valueOf(1), answers.get(0), "the first ack argument");
        assertNull(answers.get(1));
    }

    @Test
    void recoveryKeepsMissedPacketsForTheRoomsOfADroppedSession() throws Exception {
        InMemoryAdapter adapter = adapter(Duration.ofMinutes(1));
        FakeSocket s1 = socket(adapter, "s1", "r");
        adapter.broadcast(event("m", 0), to(Set.of("r"), Set.of(), BroadcastFlags.NONE));
        String offset = s1.delivered.get(0).replaceAll(".*,\"(.+)\"]$", "$1");
        assertTrue(s1.delivered.get(0).startsWith("42[\"m\",0,\""), s1.delivered.get(0));

        adapter.persistSession(new PersistedSession("s1", "p1", Set.of("s1", "r"), Map.of("k", "v"), List.of()));
        adapter.delAll("s1");
        adapter.broadcast(event("m", 1), to(Set.of("r"), Set.of(), BroadcastFlags.NONE));
        adapter.broadcast(event("m", 2), to(Set.of("other"), Set.of(), BroadcastFlags.NONE));
        adapter.broadcast(event("m", 3), to(Set.of(), Set.of("r"), BroadcastFlags.NONE));
        adapter.broadcast(event("m", 4), to(Set.of(), Set.of(), BroadcastFlags.NONE.withVolatile()));
        adapter.broadcast(event("m", 5), to(Set.of(), Set.of(), BroadcastFlags.NONE));

        assertNull(adapter.restoreSession("p1", "no-such-offset").get());
        adapter.persistSession(new PersistedSession("s1", "p1", Set.of("s1", "r"), Map.of("k", "v"), List.of()));
        PersistedSession restored = adapter.restoreSession("p1", offset).get();
        assertEquals("s1", restored.sid());
        assertEquals(Map.of("k", "v"), restored.data());
        assertEquals(List.of("1", "5"), restored.missedPackets().stream().map(p -> p.get(1).toString()).toList());
        assertTrue(restored.missedPackets().get(0).get(2) instanceof JsonNode n && n.isTextual(),
                "each keeps its offset");
        assertNull(adapter.restoreSession("p1", offset).get(), "a session is restored once");
    }

    @Test
    void roomsGrowPastTheSmallSizeAndShrinkAwayWithoutLosingMembers() {
        InMemoryAdapter adapter = adapter(null);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add("s" + i);
            socket(adapter, "s" + i, "crowd");
            assertEquals(Set.copyOf(ids), adapter.sockets(Set.of("crowd")), "after " + (i + 1) + " joined");
        }
        List<String> rooms = new ArrayList<>();
        for (int r = 0; r < 20; r++) {
            rooms.add("r" + r);
            adapter.addAll("s0", List.of("r" + r));
        }
        Set<String> expected = new java.util.HashSet<>(rooms);
        expected.addAll(List.of("s0", "crowd"));
        assertEquals(expected, adapter.socketRooms("s0"));
        adapter.addAll("s0", List.of("r3"));
        assertEquals(expected, adapter.socketRooms("s0"), "joining twice changes nothing");

        for (int i = 19; i >= 1; i--) {
            adapter.del("s" + i, "crowd");
            assertEquals(Set.copyOf(ids.subList(0, i)), adapter.sockets(Set.of("crowd")), "after s" + i + " left");
        }
        adapter.del("s0", "r5");
        expected.remove("r5");
        assertEquals(expected, adapter.socketRooms("s0"));
        adapter.delAll("s0");
        assertEquals(Set.of(), adapter.socketRooms("s0"));
        assertEquals(Set.of(), adapter.sockets(Set.of("crowd")), "the last member left");
        assertTrue(adapter.rooms().keySet().stream().noneMatch(r -> r.equals("crowd") || r.startsWith("r")),
                "empty rooms are gone: " + adapter.rooms().keySet());
        adapter.del("s1", "s1");
        assertEquals(Set.of(), adapter.sockets(Set.of("s1")));
        assertEquals(Set.of(), adapter.socketRooms("s1"));
        assertTrue(adapter.sockets(Set.of()).contains("s1"),
                "a socket in no room at all still gets what goes to everyone");
    }

    @Test
    void recoveryKeepsAnEventAsItsJsonAndABinaryEventAsItIs() throws Exception {
        RecoveryStore store = new RecoveryStore(Duration.ofMinutes(1));
        BroadcastOptions everyone = to(Set.of(), Set.of(), BroadcastFlags.NONE);
        String seen = store.nextOffset();
        List<Object> first = List.of("a", seen);
        store.store(seen, first, encoder.encode(Packet.event("/", Packet.NO_ID, first)), everyone);

        String o2 = store.nextOffset();
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("text", "hi, [there]");
        body.put("n", 2);
        List<Object> chat = List.of("chat", body, o2);
        // A namespace with a bracket in its name: the arguments start after the first comma, not the first '['.
        store.store(o2, chat, encoder.encode(Packet.event("/room[1]", Packet.NO_ID, chat)), everyone);

        String o3 = store.nextOffset();
        List<Object> file = List.of("file", new byte[] {1, 2, 3}, o3);
        store.store(o3, file, encoder.encode(Packet.event("/", Packet.NO_ID, file)), everyone);

        store.persist(new PersistedSession("s1", "p1", Set.of("s1"), Map.of(), List.of()));
        List<List<Object>> missed = store.restore("p1", seen).missedPackets();
        assertEquals(2, missed.size());
        assertEquals("[\"chat\",{\"text\":\"hi, [there]\",\"n\":2},\"" + o2 + "\"]",
                new ObjectMapper().writeValueAsString(missed.get(0)), "the same JSON, rebuilt from the stored text");
        assertSame(file, missed.get(1), "binary events are kept as they were");
    }
}
