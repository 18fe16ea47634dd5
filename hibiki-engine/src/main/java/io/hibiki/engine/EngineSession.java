package io.hibiki.engine;

import io.hibiki.engine.codec.EnginePacket;
import io.hibiki.engine.codec.EnginePacketType;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO session. Its state is owned by one event loop; transports on other loops hop onto it.
 */
final class EngineSession implements EngineSocket {

    private static final Logger log = LoggerFactory.getLogger(EngineSession.class);

    private enum State { OPEN, CLOSING, CLOSED }

    private final EngineServer server;
    private final String id;
    private final EngineRequest request;
    private final EventLoop loop;
    // Sized small: once a WebSocket takes over it is nearly always empty, and it grows when polling needs it.
    private final ArrayDeque<EngineMessage> writeBuffer = new ArrayDeque<>(2);

    private SessionTransport transport;
    private SessionTransport probe;
    private State state = State.OPEN;
    private CloseReason closingReason;
    /** Closing over polling: the close packet waits for a poll that finds nothing else queued. */
    private boolean closeOnNextPoll;
    private ScheduledFuture<?> pingTask;
    private ScheduledFuture<?> pongTimeoutTask;
    private ScheduledFuture<?> upgradeTimeoutTask;
    private ScheduledFuture<?> noopTask;
    private ScheduledFuture<?> closeTimeoutTask;

    private Consumer<String> messageListener = m -> { };
    private Consumer<byte[]> binaryListener = b -> { };
    private BiConsumer<CloseReason, String> closeListener = (r, d) -> { };
    private Runnable drainListener = () -> { };
    private Runnable upgradeListener = () -> { };

    EngineSession(EngineServer server, String id, EngineRequest request, EventLoop loop) {
        this.server = server;
        this.id = id;
        this.request = request;
        this.loop = loop;
    }

    /** Starts the session on its first transport: queues the open packet and starts the heartbeat. */
    void open(SessionTransport first) {
        this.transport = first;
        EngineOptions o = server.options();
        boolean offerUpgrade = first.kind() == Transport.POLLING && o.allowUpgrades()
                && o.transports().contains(Transport.WEBSOCKET);
        String open = "{\"sid\":\"" + id + "\",\"upgrades\":" + (offerUpgrade ? "[\"websocket\"]" : "[]")
                + ",\"pingInterval\":" + o.pingInterval().toMillis()
                + ",\"pingTimeout\":" + o.pingTimeout().toMillis()
                + ",\"maxPayload\":" + o.maxHttpBufferSize() + "}";
        writeBuffer.add(EngineMessage.control(EnginePacketType.OPEN, open));
        schedulePing();
        flush();
    }

    EventLoop loop() {
        return loop;
    }

    EngineServer server() {
        return server;
    }

    /** Runs {@code task} on this session's loop, now if already there. */
    void execute(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    /**
     * Polling requests in the order their connections' loops read them; created on the first one, so a
     * WebSocket-only session never pays for it.
     */
    private volatile java.util.Queue<Runnable> requests;
    /** Whether the loop is working through {@link #requests} (a request's work may read another). */
    private boolean drainingRequests;

    /**
     * Runs a polling request's work on this session's loop after the work of every request read before it, on
     * whichever loop: a POST read on this loop must not overtake a GET that another loop read first and handed on.
     */
    void executeInOrder(Runnable task) {
        java.util.Queue<Runnable> queue = requests;
        if (queue == null) {
            synchronized (this) {
                queue = requests;
                if (queue == null) {
                    queue = new java.util.concurrent.ConcurrentLinkedQueue<>();
                    requests = queue;
                }
            }
        }
        queue.add(task);
        if (loop.inEventLoop()) {
            drainRequests();
        } else {
            loop.execute(this::drainRequests);
        }
    }

    private void drainRequests() {
        if (drainingRequests) {
            return;
        }
        drainingRequests = true;
        try {
            Runnable task;
            while ((task = requests.poll()) != null) {
                safely(task);
            }
        } finally {
            drainingRequests = false;
        }
    }

    SessionTransport currentTransport() {
        return transport;
    }

    // ---- EngineSocket ----

    @Override
    public String id() {
        return id;
    }

    @Override
    public Transport transport() {
        return transport.kind();
    }

    @Override
    public io.netty.util.concurrent.EventExecutor executor() {
        return loop;
    }

    @Override
    public EngineRequest request() {
        return request;
    }

    @Override
    public void send(String text) {
        EngineMessage m = EngineMessage.text(text);
        send(m);
        m.release();
    }

    @Override
    public void send(byte[] data) {
        EngineMessage m = EngineMessage.binary(data);
        send(m);
        m.release();
    }

    @Override
    public void send(EngineMessage message) {
        EngineMessage own = (EngineMessage) message.retain();
        if (loop.inEventLoop()) {
            enqueue(own);
        } else {
            loop.execute(() -> enqueue(own));
        }
    }

    private void enqueue(EngineMessage own) {
        if (state != State.OPEN) {
            own.release();
            return;
        }
        writeBuffer.add(own);
        bufferedBytes += own.content().readableBytes();
        flush();
        if (bufferedBytes > server.options().maxPendingBytes()) {
            log.debug("session {}: {} bytes waiting for a poll, disconnecting a slow consumer", id, bufferedBytes);
            onClose(CloseReason.TRANSPORT_ERROR, "slow consumer");
        }
    }

    /** Bytes in {@link #writeBuffer}: what a polling client has not collected yet. */
    private long bufferedBytes;

    @Override
    public boolean isWritable() {
        SessionTransport t = transport;
        return state == State.OPEN && t != null && t.isWritable();
    }

    @Override
    public void close() {
        close(CloseReason.FORCED_CLOSE);
    }

    @Override
    public void close(CloseReason reason) {
        execute(() -> beginClose(reason));
    }

    /**
     * Closes for a server shutdown: the close packet goes out if the transport can take it now, but nothing waits
     * for a poll to carry it (the event loops are about to stop, and their timers with them).
     */
    io.netty.util.concurrent.Future<?> shutdown() {
        Runnable close = () -> {
            beginClose(CloseReason.SERVER_SHUTTING_DOWN);
            onClose(closingReason != null ? closingReason : CloseReason.SERVER_SHUTTING_DOWN, null);
        };
        if (loop.inEventLoop()) {
            close.run();
            return loop.newSucceededFuture(null);
        }
        return loop.submit(close);
    }

    @Override
    public boolean isOpen() {
        return state == State.OPEN;
    }

    @Override
    public void onMessage(Consumer<String> listener) {
        this.messageListener = listener;
    }

    @Override
    public void onBinary(Consumer<byte[]> listener) {
        this.binaryListener = listener;
    }

    @Override
    public void onClose(BiConsumer<CloseReason, String> listener) {
        this.closeListener = listener;
    }

    @Override
    public void onDrain(Runnable listener) {
        this.drainListener = listener;
    }

    @Override
    public void onUpgrade(Runnable listener) {
        this.upgradeListener = listener;
    }

    // ---- called by transports, on the loop ----

    void flush() {
        if (state == State.CLOSED || writeBuffer.isEmpty() || !transport.canWrite()) {
            return;
        }
        transport.write(writeBuffer);
        bufferedBytes = 0;
        if (state == State.CLOSING) {
            finishClosing();
        }
    }

    /** A long-poll arrived, or a WebSocket drained: the transport can take more. */
    void onTransportWritable(SessionTransport from) {
        if (from != transport) {
            return;
        }
        if (state == State.CLOSING && writeBuffer.isEmpty()) {
            if (closeOnNextPoll) {
                closeOnNextPoll = false;
                writeBuffer.add(EngineMessage.control(EnginePacketType.NOOP, ""));
                writeBuffer.add(EngineMessage.control(EnginePacketType.CLOSE, ""));
                flush();
            }
            finishClosing();
            return;
        }
        flush();
        if (state == State.OPEN) {
            safely(drainListener);
        }
    }

    void onPackets(SessionTransport from, List<EnginePacket> packets) {
        for (EnginePacket p : packets) {
            onPacket(from, p);
        }
    }

    void onPacket(SessionTransport from, EnginePacket packet) {
        if (state == State.CLOSED) {
            return;
        }
        if (from == probe) {
            onProbePacket(packet);
            return;
        }
        if (from != transport) {
            return;
        }
        switch (packet.type()) {
            case PONG -> {
                cancel(pongTimeoutTask);
                // A cancelled task kept in the field would hold its timer entry and closure until the next ping:
                // memory on every idle connection.
                pongTimeoutTask = null;
                schedulePing();
            }
            case MESSAGE -> {
                if (state != State.OPEN) {
                    return;
                }
                if (packet.isBinary()) {
                    byte[] data = packet.binary();
                    safely(() -> binaryListener.accept(data));
                } else {
                    String text = packet.text();
                    safely(() -> messageListener.accept(text));
                }
            }
            case CLOSE -> {
                if (transport instanceof PollingTransport polling) {
                    // Node answers a waiting poll with a noop, not a close: the client is the one leaving.
                    polling.discard();
                }
                onClose(CloseReason.TRANSPORT_CLOSE, "client sent close");
            }
            case PING, NOOP, OPEN, UPGRADE -> {
                // Not expected outside an upgrade probe in v4; Node ignores them too.
            }
        }
    }

    /** The transport failed or the client went away. */
    void onTransportError(SessionTransport from, CloseReason reason, String description) {
        if (from == probe) {
            abortUpgrade();
            return;
        }
        if (from == transport) {
            onClose(reason, description);
        }
    }

    /** A client sent something unparsable on the current transport. */
    void onParseError(SessionTransport from, String description) {
        log.debug("session {}: parse error: {}", id, description);
        onTransportError(from, CloseReason.PARSE_ERROR, description);
    }

    // ---- upgrade ----

    /** Whether a WebSocket may start probing now. */
    boolean canUpgrade() {
        return state == State.OPEN && probe == null && transport.kind() == Transport.POLLING;
    }

    void startUpgrade(SessionTransport candidate) {
        probe = candidate;
        upgradeTimeoutTask = loop.schedule(() -> {
            log.debug("session {}: upgrade timed out", id);
            abortUpgrade();
        }, server.options().upgradeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void onProbePacket(EnginePacket packet) {
        SessionTransport candidate = probe;
        if (packet.type() == EnginePacketType.PING && "probe".equals(packet.text())) {
            ArrayDeque<EngineMessage> pong = new ArrayDeque<>(1);
            pong.add(EngineMessage.control(EnginePacketType.PONG, "probe"));
            candidate.write(pong);
            // The client waits for its pending poll to return before it sends the upgrade packet.
            cancel(noopTask);
            noopTask = loop.scheduleAtFixedRate(this::answerPollWithNoop, 0, 100, TimeUnit.MILLISECONDS);
        } else if (packet.type() == EnginePacketType.UPGRADE && state != State.CLOSED) {
            cancel(noopTask);
            cancel(upgradeTimeoutTask);
            SessionTransport old = transport;
            transport = candidate;
            probe = null;
            old.discard();
            log.debug("session {}: upgraded to {}", id, candidate.kind().wireName());
            safely(upgradeListener);
            flush();
            if (state == State.CLOSING) {
                finishClosing();
            }
        } else {
            abortUpgrade();
        }
    }

    private void answerPollWithNoop() {
        if (transport.kind() == Transport.POLLING && transport.canWrite() && writeBuffer.isEmpty()) {
            ArrayDeque<EngineMessage> noop = new ArrayDeque<>(1);
            noop.add(EngineMessage.control(EnginePacketType.NOOP, ""));
            transport.write(noop);
        }
    }

    private void abortUpgrade() {
        cancel(noopTask);
        cancel(upgradeTimeoutTask);
        SessionTransport candidate = probe;
        probe = null;
        if (candidate != null) {
            candidate.discard();
        }
    }

    // ---- heartbeat ----

    private void schedulePing() {
        if (state == State.CLOSED) {
            return;
        }
        cancel(pingTask);
        EngineOptions o = server.options();
        pingTask = loop.schedule(() -> {
            if (state != State.OPEN) {
                return;
            }
            writeBuffer.add(EngineMessage.control(EnginePacketType.PING, ""));
            flush();
            cancel(pongTimeoutTask);
            pongTimeoutTask = loop.schedule(() -> onClose(CloseReason.PING_TIMEOUT, null),
                    o.pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }, o.pingInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    // ---- closing ----

    private void beginClose(CloseReason reason) {
        if (state != State.OPEN) {
            return;
        }
        state = State.CLOSING;
        closingReason = reason;
        if (transport.kind() == Transport.POLLING) {
            if (writeBuffer.isEmpty() && transport.canWrite()) {
                writeBuffer.add(EngineMessage.control(EnginePacketType.CLOSE, ""));
            } else {
                // As Node: what is queued goes out on the next poll as usual, and the close on the poll after
                // that, behind a noop.
                closeOnNextPoll = true;
            }
        }
        flush();
        finishClosing();
        if (state == State.CLOSING) {
            // Pending packets wait for the next poll; do not wait for ever.
            closeTimeoutTask = loop.schedule(() -> onClose(closingReason, null),
                    server.options().pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void finishClosing() {
        if (state == State.CLOSING && writeBuffer.isEmpty() && !closeOnNextPoll) {
            onClose(closingReason, null);
        }
    }

    /** Final: releases everything and tells the listener once. */
    void onClose(CloseReason reason, String description) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        // Gone from the server before anything the client can see: once its connection closes, a request it sends
        // on another one must find no session (a loop of that connection can run before this one goes on).
        server.remove(this);
        cancel(pingTask);
        cancel(pongTimeoutTask);
        cancel(closeTimeoutTask);
        abortUpgrade();
        EngineMessage m;
        while ((m = writeBuffer.poll()) != null) {
            m.release();
        }
        if (transport != null) {
            transport.close();
        }
        log.debug("session {} closed: {}{}", id, reason.text(), description == null ? "" : " (" + description + ")");
        BiConsumer<CloseReason, String> listener = closeListener;
        safely(() -> listener.accept(reason, description));
    }

    private void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.error("session {}: listener failed", id, e);
        }
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    @Override
    public String toString() {
        return "EngineSession[" + id + ", " + (transport == null ? "-" : transport.kind().wireName()) + ", " + state + "]";
    }
}
