package io.hibiki.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.hibiki.socketio.adapter.BroadcastFlags;
import io.hibiki.socketio.adapter.BroadcastOptions;
import io.hibiki.socketio.parser.Packet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Selects recipients and emits to them: {@code io.to("room").except(id).timeout(d).emitWithAck("ev")}. An
 * immutable value: every selector returns a new operator, so operators can be shared and kept.
 */
public final class BroadcastOperator {

    private final Namespace namespace;
    private final Set<String> rooms;
    private final Set<String> except;
    private final BroadcastFlags flags;

    BroadcastOperator(Namespace namespace, Set<String> rooms, Set<String> except, BroadcastFlags flags) {
        this.namespace = namespace;
        this.rooms = rooms;
        this.except = except;
        this.flags = flags;
    }

    private static Set<String> plus(Set<String> set, String... more) {
        Set<String> s = new HashSet<>(set);
        Collections.addAll(s, more);
        return Set.copyOf(s);
    }

    /**
     * Targets members of these rooms too (a socket id is a room).
     *
     * @param rooms the rooms to add to the selection; a socket in several of them still gets one packet
     * @return a new operator with the rooms added
     */
    public BroadcastOperator to(String... rooms) {
        return new BroadcastOperator(namespace, plus(this.rooms, rooms), except, flags);
    }

    /**
     * Same as {@link #to}.
     *
     * @param rooms the rooms to add to the selection
     * @return a new operator with the rooms added
     */
    public BroadcastOperator in(String... rooms) {
        return to(rooms);
    }

    /**
     * Leaves out members of these rooms.
     *
     * @param rooms the rooms whose members get nothing, even when they are also in a targeted room
     * @return a new operator with the rooms excluded
     */
    public BroadcastOperator except(String... rooms) {
        return new BroadcastOperator(namespace, this.rooms, plus(except, rooms), flags);
    }

    /**
     * Drops the packet for clients whose transport cannot take it right now (Node's {@code volatile}): for
     * high-frequency, disposable events such as typing or cursors.
     *
     * @return a new operator whose emits are volatile
     */
    public BroadcastOperator volatileEmit() {
        return new BroadcastOperator(namespace, rooms, except, flags.withVolatile());
    }

    /**
     * Whether the transport may compress the packets (honoured where WebSocket permessage-deflate is on).
     *
     * @param compress {@code false} to send these packets uncompressed, e.g. data that is already compressed
     * @return a new operator with the flag set
     */
    public BroadcastOperator compress(boolean compress) {
        return new BroadcastOperator(namespace, rooms, except, flags.withCompress(compress));
    }

    /**
     * This node's clients only, not the rest of the cluster.
     *
     * @return a new operator that stays on this node
     */
    public BroadcastOperator local() {
        return new BroadcastOperator(namespace, rooms, except, flags.withLocal());
    }

    /**
     * How long {@link #emitWithAck} waits.
     *
     * @param timeout the wait for every answer; without one, {@code emitWithAck} waits as long as it takes
     * @return a new operator with the timeout set
     */
    public BroadcastOperator timeout(Duration timeout) {
        return new BroadcastOperator(namespace, rooms, except, flags.withTimeout(timeout));
    }

    BroadcastOptions options() {
        return new BroadcastOptions(rooms, except, flags);
    }

    /**
     * Emits an event to every selected client; arguments are JSON-able values or binary.
     *
     * @param event the event name; not one of the reserved names ({@code connect}, {@code disconnect}, …)
     * @param args  the arguments: JSON-able values, with {@code byte[]} sent as binary attachments
     * @throws IllegalArgumentException when the event name is {@code null} or reserved
     */
    public void emit(String event, Object... args) {
        Namespace.checkEventName(event);
        namespace.adapter().broadcast(Packet.event(namespace.name(), Packet.NO_ID, eventData(event, args)), options());
    }

    static List<Object> eventData(String event, Object[] args) {
        List<Object> data = new ArrayList<>(args.length + 1);
        data.add(event);
        Collections.addAll(data, args);
        return data;
    }

    /**
     * Emits and collects one acknowledgement (its first argument) per client. Completes when every recipient
     * answered, or exceptionally with {@link AckTimeoutException} (holding the partial list) after the timeout.
     *
     * @param event the event name; not a reserved one
     * @param args  the arguments: JSON-able values, with {@code byte[]} sent as binary attachments
     * @return a future of the answers, one per client in arrival order (a JSON null for an empty answer); with
     *         no {@link #timeout} it never completes while a client does not answer
     * @throws IllegalArgumentException when the event name is {@code null} or reserved
     */
    public CompletableFuture<List<Object>> emitWithAck(String event, Object... args) {
        Namespace.checkEventName(event);
        CompletableFuture<List<Object>> result = new CompletableFuture<>();
        List<Object> responses = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger expectedClients = new AtomicInteger();
        AtomicInteger serversAnswered = new AtomicInteger();
        int[] expectedServers = {-1};
        Runnable check = () -> {
            synchronized (expectedServers) {
                if (expectedServers[0] >= 0 && serversAnswered.get() >= expectedServers[0]
                        && responses.size() >= expectedClients.get()) {
                    result.complete(List.copyOf(responses));
                }
            }
        };
        if (flags.timeout() != null) {
            io.netty.util.concurrent.ScheduledFuture<?> timer = namespace.server().scheduler().schedule(
                    () -> result.completeExceptionally(new AckTimeoutException(responses)),
                    flags.timeout().toMillis(), TimeUnit.MILLISECONDS);
            result.whenComplete((r, e) -> timer.cancel(false));
        }
        Packet packet = Packet.event(namespace.name(), namespace.nextAckId(), eventData(event, args));
        namespace.adapter().broadcastWithAck(packet, options(), count -> {
            expectedClients.addAndGet(count);
            serversAnswered.incrementAndGet();
            check.run();
        }, (JsonNode ack) -> {
            responses.add(ack == null ? NullNode.getInstance() : ack);
            check.run();
        });
        CompletableFuture<Integer> servers = flags.local() ? CompletableFuture.completedFuture(1)
                : namespace.adapter().serverCount();
        servers.thenAccept(n -> {
            synchronized (expectedServers) {
                expectedServers[0] = n;
            }
            check.run();
        });
        return result;
    }

    /**
     * Handles to the selected sockets, wherever in the cluster they are connected.
     *
     * @return a future of snapshots of the selected sockets, from this node and (unless {@link #local}) the others
     */
    public CompletableFuture<List<RemoteSocket>> fetchSockets() {
        return namespace.adapter().fetchSockets(options()).thenApply(list -> list.stream()
                .map(d -> new RemoteSocket(namespace, d)).toList());
    }

    /**
     * Makes the selected sockets join rooms. A socket that would pass {@code maxRoomsPerSocket} joins none of them,
     * and no exception reaches the caller: the refusal is only logged.
     *
     * @param rooms the rooms to join
     */
    public void socketsJoin(String... rooms) {
        namespace.adapter().addSockets(options(), List.of(rooms));
    }

    /**
     * Makes the selected sockets leave rooms.
     *
     * @param rooms the rooms to leave
     */
    public void socketsLeave(String... rooms) {
        namespace.adapter().delSockets(options(), List.of(rooms));
    }

    /**
     * Disconnects the selected sockets; with {@code close} also their underlying connections.
     *
     * @param close {@code true} to close each socket's connection with every namespace on it; {@code false} to
     *              make the sockets leave this namespace only
     */
    public void disconnectSockets(boolean close) {
        namespace.adapter().disconnectSockets(options(), close);
    }
}
